"""The manager role's demo, the steps `seed_demo` runs after the org (registered in
`ManagersConfig.ready()`): `charters` (roles, charters, acknowledgements, and their metric `readings`),
then `hiring` (what each role `requirements`, the `requisitions` and their `candidates`)."""
