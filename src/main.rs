use clap::Parser;

// Decoding advisories makes millions of small allocations across rayon's threads; glibc's
// allocator spent a third of a large scan growing and trimming per-thread heaps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = portcullis::cli::Cli::parse();
    let code = match portcullis::cli::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            eprintln!("portcullis: error: {err:#}");
            2
        }
    };
    std::process::exit(code);
}
