fn main() {
    parta::start();
}
