use clap::Parser;

fn main() -> std::process::ExitCode {
    mes_backend::cli::main(mes_backend::cli::Cli::parse())
}
