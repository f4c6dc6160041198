// The charter draft editor, on top of a page that works without it (rows move on the server then):
// "Add a row" copies the section's empty row; the arrows move a row in place; Remove greys it out;
// the focus areas' total share of time follows every keystroke. Rows are renumbered (the hidden ORDER
// inputs) in the order they show, leaving blank rows unnumbered so they stay blank extra rows.
(() => {
  const form = document.getElementById("draft-form");
  if (!form) return;

  const rowsOf = (section) => form.querySelector(`[data-rows="${section}"]`);
  const isBlank = (row) =>
    [...row.querySelectorAll("input[type=text], input[type=number], textarea")].every((input) => !input.value.trim());

  const renumber = (container) => {
    let number = 1;
    for (const row of container.querySelectorAll(":scope > [data-row]")) {
      const order = row.querySelector("[data-order]");
      if (order) order.value = isBlank(row) && !order.value ? "" : String(number++);
    }
  };

  const updateTotal = () => {
    const badge = form.querySelector("[data-time-share-total]");
    if (!badge) return;
    let total = 0;
    for (const row of rowsOf("focus_areas").querySelectorAll(":scope > [data-row]")) {
      if (row.querySelector("[data-delete]")?.checked) continue;
      total += Number.parseInt(row.querySelector("[data-time-share]")?.value, 10) || 0;
    }
    badge.textContent = badge.textContent.replace(/^\s*-?\d+%/, `${total}%`);
    badge.classList.toggle("text-danger", total > 100);
    badge.classList.toggle("text-body-secondary", total <= 100);
  };

  form.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-row]");
    if (add) {
      const section = add.dataset.addRow;
      const total = document.getElementById(`id_${section}-TOTAL_FORMS`);
      const template = form.querySelector(`template[data-empty-row="${section}"]`);
      const html = template.innerHTML.replaceAll("__prefix__", total.value);
      rowsOf(section).insertAdjacentHTML("beforeend", html);
      total.value = Number(total.value) + 1;
      rowsOf(section).lastElementChild.querySelector("input:not([type=hidden]), select, textarea")?.focus();
      return;
    }
    const move = event.target.closest("[data-move]");
    if (move) {
      event.preventDefault();
      const row = move.closest("[data-row]");
      const sibling = move.dataset.move === "up" ? row.previousElementSibling : row.nextElementSibling;
      if (!sibling) return;
      if (move.dataset.move === "up") sibling.before(row);
      else sibling.after(row);
      renumber(row.parentElement);
      move.focus();
    }
  });

  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-time-share]")) updateTotal();
  });
  form.addEventListener("change", (event) => {
    const remove = event.target.closest("[data-delete]");
    if (!remove) return;
    remove.closest("[data-row]").classList.toggle("opacity-50", remove.checked);
    updateTotal();
  });
  form.addEventListener("submit", (event) => {
    // A move button pressed without our handler (it preventDefaults) would not get here; on save,
    // the order posted is the order shown.
    if (event.submitter?.name === "move") return;
    for (const container of form.querySelectorAll("[data-rows]")) renumber(container);
  });
})();
