//! Prints generated Lua programs: `cargo run -p tarn-gen --example luagen -- SEED [COUNT]`
//! writes COUNT programs (default 1) from SEED, separated by a marker line, to stdout.
use tarn_gen::luagen::{program, Shape};

fn main() {
    let mut args = std::env::args().skip(1);
    let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let count: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut rng = fastrand::Rng::with_seed(seed);
    for i in 0..count {
        if i > 0 {
            println!("-- ----8<----");
        }
        print!("{}", program(&mut rng, Shape::default()));
    }
}
