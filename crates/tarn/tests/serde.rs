//! Structs, enums, maps and sequences through `tarn::serde` both ways.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tarn::serde::{from_value, to_value, Serde};
use tarn::{Config, ErrorKind, Vm};

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
enum Shape {
    Dot,
    Circle(f64),
    Rect { w: f64, h: f64 },
    Pair(i32, i32),
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Clone)]
struct Scene {
    name: String,
    shapes: Vec<Shape>,
    labels: HashMap<String, u32>,
    origin: (i64, i64),
    note: Option<String>,
    raw: serde_bytes_like::Raw,
}

/// Bytes serialized as bytes (as `serde_bytes` would), without the dependency.
mod serde_bytes_like {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Debug, PartialEq, Clone)]
    pub struct Raw(pub Vec<u8>);

    impl Serialize for Raw {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(&self.0)
        }
    }

    impl<'de> Deserialize<'de> for Raw {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl serde::de::Visitor<'_> for V {
                type Value = Raw;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("bytes")
                }
                fn visit_bytes<E>(self, v: &[u8]) -> Result<Raw, E> {
                    Ok(Raw(v.to_vec()))
                }
                fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Raw, E> {
                    Ok(Raw(v))
                }
            }
            d.deserialize_byte_buf(V)
        }
    }
}

fn scene() -> Scene {
    Scene {
        name: "demo".into(),
        shapes: vec![Shape::Dot, Shape::Circle(1.5), Shape::Rect { w: 2.0, h: 3.0 }, Shape::Pair(1, -1)],
        labels: HashMap::from([("a".into(), 1), ("b".into(), 2)]),
        origin: (10, -20),
        note: None,
        raw: serde_bytes_like::Raw(vec![0, 255, 7]),
    }
}

#[test]
fn a_struct_goes_to_lua_and_comes_back_the_same() {
    let mut vm = Vm::new(Config::new()).unwrap();
    vm.set_global("scene", Serde(scene())).unwrap();
    // Lua sees plain tables.
    let seen: String = vm
        .eval(
            "return scene.name .. ' ' .. #scene.shapes .. ' ' .. scene.shapes[1] .. ' ' .. scene.shapes[2].Circle \
             .. ' ' .. scene.shapes[3].Rect.h .. ' ' .. scene.labels.b .. ' ' .. scene.origin[2] .. ' ' .. tostring(scene.note) \
             .. ' ' .. #scene.raw",
        )
        .unwrap();
    assert_eq!(seen, "demo 4 Dot 1.5 3.0 2 -20 nil 3");
    let Serde(back): Serde<Scene> = vm.global("scene").unwrap();
    assert_eq!(back, scene());

    let v = to_value(&mut vm, &scene()).unwrap();
    assert_eq!(from_value::<Scene>(&mut vm, &v).unwrap(), scene());
}

#[test]
fn host_functions_take_and_return_serde_types() {
    #[derive(Deserialize)]
    struct Order {
        items: Vec<Item>,
        coupon: Option<String>,
    }
    #[derive(Deserialize)]
    struct Item {
        price: f64,
        qty: u32,
    }
    #[derive(Serialize)]
    struct Total {
        sum: f64,
        discounted: bool,
    }
    let mut vm = Vm::new(Config::new()).unwrap();
    vm.register("total", |Serde(order): Serde<Order>| {
        let sum: f64 = order.items.iter().map(|i| i.price * f64::from(i.qty)).sum();
        let discounted = order.coupon.is_some();
        Serde(Total { sum: if discounted { sum * 0.9 } else { sum }, discounted })
    })
    .unwrap();
    let (sum, discounted): (f64, bool) = vm
        .eval("local t = total{items = {{price = 10, qty = 2}, {price = 5.0, qty = 1}}, coupon = 'X'} return t.sum, t.discounted")
        .unwrap();
    assert_eq!((sum, discounted), (22.5, true));
    let e = vm.exec("total{items = {{price = 'free', qty = 1}}}").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Runtime);
    assert!(e.message().starts_with("eval:1: bad argument #1 to 'total' ("), "{}", e.message());
    assert!(e.message().contains("number expected, got string"), "{}", e.message());
}

#[test]
fn integers_read_from_exact_floats_and_bad_shapes_are_errors() {
    let mut vm = Vm::new(Config::new()).unwrap();
    let Serde(port): Serde<u16> = vm.eval("return 8080.0").unwrap();
    assert_eq!(port, 8080);
    assert!(vm.eval::<Serde<u16>>("return 8080.5").is_err());
    assert!(vm.eval::<Serde<u8>>("return 300").is_err());
    assert!(vm.eval::<Serde<Shape>>("return {Circle = 1, Dot = 2}").is_err());
    let Serde(empty): Serde<Vec<i64>> = vm.eval("return {}").unwrap();
    assert!(empty.is_empty());
}

#[test]
fn a_table_that_contains_itself_is_refused_not_a_stack_overflow() {
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Node {
        next: Option<Box<Node>>,
    }
    let mut vm = Vm::new(Config::new()).unwrap();
    let e = vm.eval::<Serde<Node>>("local t = {} t.next = t return t").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Conversion);
    assert!(e.message().contains("nested more than 200 deep"), "{}", e.message());
}
