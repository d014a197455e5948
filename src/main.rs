use clap::Parser;

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
