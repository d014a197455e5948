//! Placeholder: reporters land here.
