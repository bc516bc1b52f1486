//! Finite-capacity scheduling solver.
