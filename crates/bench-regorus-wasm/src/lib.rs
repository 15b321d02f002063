//! Benchmark baseline only: regorus evaluating a Rego policy over JSON input, in WebAssembly,
//! exactly as `crates/parapet-bench` does natively. `scripts/bench-wasm.mjs` builds and times it.

use wasm_bindgen::prelude::*;

/// A compiled Rego policy.
#[wasm_bindgen]
pub struct Rego {
    engine: regorus::Engine,
}

#[wasm_bindgen]
impl Rego {
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str) -> Result<Rego, JsError> {
        let mut engine = regorus::Engine::new();
        engine
            .add_policy("parapet.rego".into(), policy.into())
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Rego { engine })
    }

    /// Evaluates `data.parapet.deny` for the JSON input; returns how many messages it holds.
    pub fn deny(&mut self, input_json: &str) -> Result<u32, JsError> {
        let input =
            regorus::Value::from_json_str(input_json).map_err(|e| JsError::new(&e.to_string()))?;
        self.engine.set_input(input);
        let deny = self
            .engine
            .eval_rule("data.parapet.deny".into())
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(deny.as_set().map(|s| s.len() as u32).unwrap_or(0))
    }
}
