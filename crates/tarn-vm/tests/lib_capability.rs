//! The capability model: a VM whose host granted nothing can neither read nor write
//! files, read the environment or standard input, read the clock, nor end the process,
//! and each refusal names the capability and the function; granted, they work.

mod capable;
use capable::*;

fn caps_none() -> Capabilities {
    Capabilities::none()
}

#[test]
fn library_tables_exist_without_capabilities() {
    let out = run_with(
        caps_none(),
        "print(type(io), type(os), type(package), type(require), type(dofile), type(loadfile), type(io.open))",
    )
    .unwrap();
    assert_eq!(out, "table\ttable\ttable\tfunction\tfunction\tfunction\tfunction\n");
}

#[test]
fn default_vm_cannot_read_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret.txt");
    std::fs::write(&file, "secret").unwrap();
    let name = lua_path(&file);
    let cases = [
        (format!("io.open({name})"), "io.open", "file read"),
        (format!("io.open({name}, 'rb')"), "io.open", "file read"),
        (format!("io.lines({name})"), "io.lines", "file read"),
        (format!("io.input({name})"), "io.input", "file read"),
        (format!("dofile({name})"), "dofile", "file read"),
        (format!("loadfile({name})"), "loadfile", "file read"),
        (format!("package.searchpath('x', {name})"), "package.searchpath", "file read"),
        ("io.read()".to_string(), "io.read", "stdin"),
        ("io.stdin:read()".to_string(), "io.read", "stdin"),
    ];
    for (src, function, cap) in cases {
        assert_eq!(
            error_with(caps_none(), &src),
            format!("test:1: capability '{cap}' not granted ({function})"),
            "{src}"
        );
    }
    // Raised by the file searcher, which `require` calls: like Lua's "error loading
    // module", it has no position of its own.
    assert_eq!(error_with(caps_none(), "require('secret')"), "capability 'file read' not granted (require)");
    // A preloaded module needs no capability.
    let out =
        run_with(caps_none(), "package.preload.m = function(...) return {...} end print(require('m')[2])")
            .unwrap();
    assert_eq!(out, ":preload:\n");
}

#[test]
fn default_vm_cannot_write_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("new.txt");
    let name = lua_path(&file);
    let existing = dir.path().join("old.txt");
    std::fs::write(&existing, "keep").unwrap();
    let old = lua_path(&existing);
    let cases = [
        (format!("io.open({name}, 'w')"), "io.open"),
        (format!("io.open({name}, 'a')"), "io.open"),
        (format!("io.open({old}, 'r+')"), "io.open"),
        (format!("io.output({name})"), "io.output"),
        ("io.tmpfile()".to_string(), "io.tmpfile"),
        (format!("os.remove({old})"), "os.remove"),
        (format!("os.rename({old}, {name})"), "os.rename"),
        ("os.tmpname()".to_string(), "os.tmpname"),
    ];
    for (src, function) in cases {
        let caps = caps_none().with(Capability::FileRead);
        let expected = format!("test:1: capability 'file write' not granted ({function})");
        assert_eq!(error_with(caps, &src), expected, "{src}");
    }
    assert!(!file.exists());
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep");
}

#[test]
fn default_vm_cannot_read_the_environment_exit_or_read_the_clock() {
    assert_eq!(
        error_with(caps_none(), "os.getenv('PATH')"),
        "test:1: capability 'environment' not granted (os.getenv)"
    );
    assert_eq!(error_with(caps_none(), "os.exit(3)"), "test:1: capability 'exit' not granted (os.exit)");
    assert_eq!(error_with(caps_none(), "os.exit()"), "test:1: capability 'exit' not granted (os.exit)");
    for (src, function) in [
        ("os.time()", "os.time"),
        ("os.clock()", "os.clock"),
        ("os.date()", "os.date"),
        ("os.date('%Y', 0)", "os.date"),
        ("os.time{year=2020, month=1, day=1}", "os.time"),
    ] {
        assert_eq!(
            error_with(caps_none(), src),
            format!("test:1: capability 'clock' not granted ({function})")
        );
    }
    // The error is an ordinary Lua error: pcall catches it.
    let out = run_with(caps_none(), "print(pcall(os.getenv, 'PATH'))").unwrap();
    assert_eq!(out, "false\tcapability 'environment' not granted (os.getenv)\n");
}

#[test]
fn pure_functions_need_no_capability() {
    let out = run_with(
        caps_none(),
        "print(os.date('!%Y-%m-%d %H:%M:%S', 0), os.difftime(10, 4), os.setlocale(), io.type(io.stdout))\n\
         io.write('written ', 1, '\\n') io.stdout:write('too\\n')",
    )
    .unwrap();
    assert_eq!(out, "1970-01-01 00:00:00\t6.0\tC\tfile\nwritten 1\ntoo\n");
}

#[test]
fn granted_capabilities_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = lua_path(&dir.path().join("f.txt"));
    let rw = caps_none().with(Capability::FileRead).with(Capability::FileWrite);
    let out = run_with(
        rw,
        &format!("local f = io.open({file}, 'w') f:write('x') f:close() print(io.open({file}):read('a'))"),
    )
    .unwrap();
    assert_eq!(out, "x\n");
    // Read-only: reading works, writing does not.
    let out = run_with(caps_none().with(Capability::FileRead), &format!("print(io.open({file}):read('a'))"))
        .unwrap();
    assert_eq!(out, "x\n");
    std::env::set_var("TARN_CAPABILITY_TEST", "yes");
    let out =
        run_with(caps_none().with(Capability::Env), "print(os.getenv('TARN_CAPABILITY_TEST'))").unwrap();
    assert_eq!(out, "yes\n");
    let out =
        run_with(caps_none().with(Capability::Clock), "print(math == nil or true, os.time() > 1600000000)")
            .unwrap();
    assert_eq!(out, "true\ttrue\n");
}

#[test]
fn exit_is_a_request_the_host_reads() {
    let caps = caps_none().with(Capability::Exit);
    for (src, status) in [
        ("os.exit(3)", 3),
        ("os.exit()", 0),
        ("os.exit(true)", 0),
        ("os.exit(false)", 1),
        ("os.exit(-2)", -2),
    ] {
        let (mut vm, output) = vm_with(caps);
        let e = run_in(&mut vm, &output, &format!("print('before') {src} print('after')")).unwrap_err();
        assert_eq!(tarn_vm::stdlib::os::exit_status(&vm, &e), Some(status), "{src}");
        assert_eq!(output.lock().unwrap().as_slice(), b"before\n");
    }
    // Other errors are not exit requests, even when they say the same.
    let (mut vm, output) = vm_with(caps);
    let e = run_in(&mut vm, &output, "error('exit requested with status 3 (os.exit)', 0)").unwrap_err();
    assert_eq!(tarn_vm::stdlib::os::exit_status(&vm, &e), None);
}

#[test]
fn exit_hook_is_called_with_the_status() {
    let mut vm = Vm::new(Limits::default()).unwrap();
    tarn_vm::stdlib::open_all(&mut vm).unwrap();
    let seen = Arc::new(Mutex::new(None));
    let s = seen.clone();
    let hook: Arc<tarn_vm::stdlib::os::ExitHook> = Arc::new(move |status| *s.lock().unwrap() = Some(status));
    let caps = Capabilities::none().with(Capability::Exit);
    tarn_vm::stdlib::open_capability_libs_with_exit(&mut vm, &caps, Some(hook)).unwrap();
    let module = tarn_compiler::compile(b"os.exit(7)", "=test").unwrap();
    let f = vm.load(&tarn_bytecode::verify(module).unwrap()).unwrap();
    let e = vm.call(f, &[]).unwrap_err();
    assert_eq!(*seen.lock().unwrap(), Some(7));
    assert_eq!(tarn_vm::stdlib::os::exit_status(&vm, &e), Some(7));
}

#[test]
fn loading_source_needs_a_compiler() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.lua"), "return 1").unwrap();
    let mut vm = Vm::new(Limits::default()).unwrap();
    tarn_vm::stdlib::open_all(&mut vm).unwrap();
    tarn_vm::stdlib::open_capability_libs(&mut vm, &Capabilities::all()).unwrap();
    let src =
        format!("package.path = {} require('m')", lua_string(&format!("{}/?.lua", dir.path().display())));
    let module = tarn_compiler::compile(src.as_bytes(), "=test").unwrap();
    let f = vm.load(&tarn_bytecode::verify(module).unwrap()).unwrap();
    let e = vm.call(f, &[]).unwrap_err();
    assert_eq!(
        e.message(),
        format!(
            "error loading module 'm' from file '{}/m.lua':\n\tloading source text is not allowed (capability not granted)",
            dir.path().display()
        )
    );
}
