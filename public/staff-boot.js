// Starts the staff bundle on /staff.html (see src/pages/staff.rs). A file, not an inline script: the
// Content-Security-Policy allows only the app's own scripts and index.html's one start script.
import init from '/staff.js';

init({ module_or_path: '/staff_bg.wasm' });
