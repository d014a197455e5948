//! Placeholder: the lint pipeline lands here.
