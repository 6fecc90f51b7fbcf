//! Prints the column tables of docs/templates.md, generated from the column specs.
fn main() {
    print!("{}", nangluc_io::template::markdown());
}
