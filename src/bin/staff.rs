//! The staff bundle (`/staff.html`): the whole app with the staff's screens — invite links, join
//! requests, the administrator's screens — which the parents' bundle (`src/main.rs`) leaves out. See
//! `pages::staff`.

fn main() {
    parta::start_staff();
}
