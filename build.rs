// The page (www/, with the wasm package once `make wasm` has built it) is
// embedded in the binary: rebuild when any of it changes.
fn main() {
    println!("cargo:rerun-if-changed=www");
}
