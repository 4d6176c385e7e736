//! View models: what each pane of the browser app shows, computed from the simulation as
//! plain data and tested natively. The UI renders these and nothing else.
