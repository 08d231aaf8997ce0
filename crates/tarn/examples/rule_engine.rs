//! A configuration and rule engine: the host's data goes in as Rust structs, rules
//! written in Lua decide, decisions come back as Rust structs.
//!
//! The rule script is configuration, not a program the host trusts: it runs with a fuel
//! budget per decision and a small heap, sees the order only as data, and can reach one
//! host function (`audit`) besides the pure libraries.
//!
//! Run with `cargo run -p tarn --example rule_engine`.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tarn::serde::Serde;
use tarn::{Config, Function, Vm};

/// What the rules see.
#[derive(Serialize, Debug, Clone)]
pub struct Order {
    pub id: u32,
    pub customer: Customer,
    pub lines: Vec<Line>,
}

#[derive(Serialize, Debug, Clone)]
pub struct Customer {
    pub name: String,
    pub tier: Tier,
}

#[derive(Serialize, Debug, Clone, Copy)]
pub enum Tier {
    Basic,
    Gold,
}

#[derive(Serialize, Debug, Clone)]
pub struct Line {
    pub sku: String,
    pub price: f64,
    pub qty: u32,
}

/// What the rules decide.
#[derive(Deserialize, Debug, PartialEq)]
pub struct Decision {
    pub rule: String,
    pub action: Action,
}

#[derive(Deserialize, Debug, PartialEq)]
pub enum Action {
    Approve,
    Review { reason: String },
    Discount { percent: f64 },
}

/// The engine's own settings, read from the same script.
#[derive(Deserialize, Debug, PartialEq)]
pub struct Settings {
    pub currency: String,
    pub review_above: f64,
}

/// The rules, as an operator would write them.
pub const RULES: &str = r#"
settings = { currency = "EUR", review_above = 1000 }

local function total(order)
  local sum = 0
  for _, line in ipairs(order.lines) do sum = sum + line.price * line.qty end
  return sum
end

rules = {
  { name = "large order",
    when = function(o) return total(o) > settings.review_above end,
    action = function(o) return { Review = { reason = ("total %.2f %s"):format(total(o), settings.currency) } } end },
  { name = "gold customer",
    when = function(o) return o.customer.tier == "Gold" end,
    action = function() return { Discount = { percent = 10 } } end },
}

function decide(order)
  local decisions = {}
  for _, rule in ipairs(rules) do
    if rule.when(order) then
      audit(order.id, rule.name)
      decisions[#decisions + 1] = { rule = rule.name, action = rule.action(order) }
    end
  end
  if #decisions == 0 then decisions[1] = { rule = "default", action = "Approve" } end
  return decisions
end
"#;

/// What a run produced: the settings, each order's decisions, and the audit trail.
#[derive(Debug)]
pub struct Report {
    pub settings: Settings,
    pub decisions: Vec<(u32, Vec<Decision>)>,
    pub audit: Vec<String>,
}

pub fn run() -> tarn::Result<Report> {
    let mut vm = Vm::new(Config::new().max_heap(4 << 20))?;
    let audit = Arc::new(Mutex::new(Vec::new()));
    let trail = audit.clone();
    vm.register("audit", move |order: u32, rule: String| {
        trail
            .lock()
            .map(|mut t| t.push(format!("order {order}: {rule}")))
            .map_err(|_| "audit trail unavailable")
    })?;
    vm.exec_named(RULES, "rules.lua")?;
    let Serde(settings): Serde<Settings> = vm.global("settings")?;
    let decide: Function = vm.global("decide")?;

    let orders = [
        Order {
            id: 1,
            customer: Customer { name: "Ada".into(), tier: Tier::Basic },
            lines: vec![Line { sku: "pen".into(), price: 2.5, qty: 4 }],
        },
        Order {
            id: 2,
            customer: Customer { name: "Grace".into(), tier: Tier::Gold },
            lines: vec![Line { sku: "desk".into(), price: 600.0, qty: 2 }],
        },
    ];
    let mut decisions = Vec::new();
    for order in &orders {
        // Each decision gets the same budget, whatever the last one used.
        vm.set_fuel(100_000);
        let Serde(d): Serde<Vec<Decision>> = decide.call(&mut vm, Serde(order))?;
        decisions.push((order.id, d));
    }
    let audit = audit.lock().map(|t| t.clone()).unwrap_or_default();
    Ok(Report { settings, decisions, audit })
}

#[allow(dead_code)]
fn main() -> tarn::Result<()> {
    let report = run()?;
    println!("settings: {:?}", report.settings);
    for (id, decisions) in &report.decisions {
        println!("order {id}: {decisions:?}");
    }
    for line in &report.audit {
        println!("audit: {line}");
    }
    Ok(())
}
