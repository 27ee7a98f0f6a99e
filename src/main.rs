// mimalloc instead of the system allocator: hydration allocates and frees
// millions of small nodes and strings across threads (see bench/README or
// the commit message for the measured difference).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gitopsc::cli::main()
}
