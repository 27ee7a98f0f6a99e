// mimalloc instead of the system allocator: hydration allocates and frees
// millions of small nodes and strings across threads. Measured on the
// 1,000 apps x 3 environments benchmark (bench/build_monorepo.py): 3.35 s
// of user CPU with glibc malloc, 2.65 s with mimalloc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    gitopsc::cli::main()
}
