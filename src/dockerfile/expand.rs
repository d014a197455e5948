//! Placeholder: BuildKit word expansion lands here.
