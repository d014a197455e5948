//! Placeholder: configuration lands here.
