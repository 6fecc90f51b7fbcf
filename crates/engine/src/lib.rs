//! The target engine (issue 3).
