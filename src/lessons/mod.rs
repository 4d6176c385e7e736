//! Guided lessons: the lesson model, goal predicates and the loader for `lessons/*`.
