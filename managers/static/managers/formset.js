// "Add a row" for the charter draft's formsets: copies the formset's hidden empty row, numbered next.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const prefix = button.dataset.addRow;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const table = document.getElementById(`${prefix}_table`);
  const template = table.querySelector("tr.empty-form");
  const row = template.cloneNode(true);
  row.classList.remove("d-none", "empty-form");
  row.innerHTML = row.innerHTML.replaceAll("__prefix__", total.value);
  table.querySelector("tbody").appendChild(row);
  total.value = Number(total.value) + 1;
  row.querySelector("input:not([type=hidden]), select, textarea")?.focus();
});
