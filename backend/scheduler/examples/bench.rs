//! Run the benchmark commands standalone:
//! `cargo run --release -p mes-scheduler --example bench -- jssp FILE [--time-limit-ms N] [--seed S]`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match mes_scheduler::bench::run(&args) {
        Ok(out) => println!("{out}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    }
}
