"""The coaching demo, the step `seed_demo` runs after the manager role's (registered in
`CoachingConfig.ready()`, run by `coaching.demo.seed`): the managers' `assessments` and their coaching
`plans`."""
