//! Placeholder: the command line lands here.
