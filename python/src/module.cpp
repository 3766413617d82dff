// alignsim._core: the pybind11 binding of the engine API (sim/): load a scenario, set and get
// its parameters, run it, read its recording, sweep it, check it. The Python package
// (python/alignsim/__init__.py) turns the arrays into pandas DataFrames. Every C++ call that
// simulates releases the GIL; every alignsim::Error becomes a Python exception (InputError is a
// ValueError carrying the same `file:line:col: error: ...` text the CLI prints).
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <Python.h>

#include <atomic>
#include <memory>
#include <sstream>
#include <thread>

#include "sim/engine.hpp"
#include "sim/error.hpp"
#include "sim/expectation.hpp"
#include "sim/model_registry.hpp"
#include "sim/scenario_loader.hpp"
#include "tools/cli/vocabulary.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_spec.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/report_run.hpp"

namespace py = pybind11;

namespace alignsim::python {

namespace {

using cli::schema_of_model;

// A scenario held by Python; `modified` once set() changed it (a sweep then writes it out).
struct PyScenario {
  Scenario s;
  bool modified = false;
};

std::size_t state_index(const Scenario& s, const std::string& name) {
  const auto i = s.find_state(name);
  if (!i) throw py::value_error("unknown state '" + name + "'" + did_you_mean(name, s.state_names));
  return *i;
}

double get_param(const Scenario& s, const std::string& path) {
  std::string error;
  const auto ref = resolve_path(s, path, &error);
  if (!ref) {
    Diagnostic d;
    d.pos.file = "get";
    d.path = path;
    d.message = error;
    throw InputError({d});
  }
  return get_value(s, *ref);
}

// One finished (or stopped) run: its own copy of the scenario, which the engine refers to.
struct PyRun {
  std::shared_ptr<Scenario> scenario;
  std::unique_ptr<Engine> engine;
  std::vector<StateOutcome> outcomes;
  bool record = true;
};

std::unique_ptr<Engine> run_engine(const Scenario& s, std::uint64_t seed, bool record, int ticks) {
  RunOptions o;
  o.seed = seed;
  o.record = record;
  auto engine = std::make_unique<Engine>(s, model_registry(), o);
  while (engine->tick() < ticks) engine->step();
  return engine;
}

std::shared_ptr<PyRun> run(const PyScenario& ps, std::optional<std::uint64_t> seed,
                           std::optional<int> ticks, bool record) {
  auto r = std::make_shared<PyRun>();
  r->scenario = std::make_shared<Scenario>(ps.s);
  if (ticks) {
    if (*ticks < 1) throw py::value_error("ticks must be at least 1, got " + std::to_string(*ticks));
    shorten(*r->scenario, *ticks);
  }
  r->record = record;
  {
    py::gil_scoped_release release;
    r->engine = run_engine(*r->scenario, seed.value_or(r->scenario->seed), record, r->scenario->ticks);
    r->outcomes = r->engine->model().classify();
  }
  return r;
}

// The outcome table as columns: state, label, the model's qualifiers (e.g. motive), reason, then every feature in the
// model's order (from the outcomes themselves, so no feature list is written here).
py::dict outcome_columns(const PyRun& r) {
  const Scenario& s = *r.scenario;
  py::list state, label, reason;
  const ModelSchema& schema = schema_of_model(s);
  std::vector<py::list> qualifiers(schema.qualifiers.size());
  std::vector<std::string> names;
  std::vector<py::list> values;
  for (const auto& o : r.outcomes) {
    state.append(s.state_names[o.state]);
    label.append(o.label);
    for (std::size_t q = 0; q < o.qualifiers.size() && q < qualifiers.size(); ++q) qualifiers[q].append(o.qualifiers[q].second);
    reason.append(o.reason);
    for (const auto& [k, v] : o.features) {
      std::size_t c = 0;
      while (c < names.size() && names[c] != k) ++c;
      if (c == names.size()) {
        names.push_back(k);
        values.emplace_back();
      }
      values[c].append(v);
    }
  }
  py::dict d;
  d["state"] = state;
  d["label"] = label;
  for (std::size_t q = 0; q < qualifiers.size(); ++q) d[py::str(schema.qualifiers[q].name)] = qualifiers[q];
  d["reason"] = reason;
  for (std::size_t c = 0; c < names.size(); ++c) d[py::str(names[c])] = values[c];
  return d;
}

// The recording as tidy columns, in the row order of timeseries.csv: tick, state (index),
// partner (index, -1 for monadic quantities), quantity (index into `quantities`), value.
py::dict timeseries_columns(const PyRun& r) {
  const Recording& rec = r.engine->recording();
  std::size_t rows = 0;
  for (std::size_t k = 0; k < rec.size(); ++k)
    for (const auto& o : rec.frame_at(k)) {
      const auto n = static_cast<std::size_t>(o.values.rows());
      rows += o.values.cols() > 1 ? n * (n - 1) : n;
    }
  py::array_t<std::int64_t> tick(static_cast<py::ssize_t>(rows));
  py::array_t<std::int32_t> state(static_cast<py::ssize_t>(rows)), partner(static_cast<py::ssize_t>(rows)),
      quantity(static_cast<py::ssize_t>(rows));
  py::array_t<double> value(static_cast<py::ssize_t>(rows));
  std::vector<std::string> quantities;
  {
    auto t = tick.mutable_unchecked<1>();
    auto si = state.mutable_unchecked<1>();
    auto pj = partner.mutable_unchecked<1>();
    auto q = quantity.mutable_unchecked<1>();
    auto v = value.mutable_unchecked<1>();
    py::ssize_t row = 0;
    for (std::size_t k = 0; k < rec.size(); ++k) {
      for (const auto& o : rec.frame_at(k)) {
        std::size_t qi = 0;
        while (qi < quantities.size() && quantities[qi] != o.quantity) ++qi;
        if (qi == quantities.size()) quantities.push_back(o.quantity);
        const bool dyadic = o.values.cols() > 1;
        for (Eigen::Index i = 0; i < o.values.rows(); ++i)
          for (Eigen::Index j = 0; j < o.values.cols(); ++j) {
            if (dyadic && i == j) continue;
            t(row) = rec.tick_at(k);
            si(row) = static_cast<std::int32_t>(i);
            pj(row) = dyadic ? static_cast<std::int32_t>(j) : -1;
            q(row) = static_cast<std::int32_t>(qi);
            v(row) = o.values(i, j);
            ++row;
          }
      }
    }
  }
  py::dict d;
  d["tick"] = tick;
  d["state"] = state;
  d["partner"] = partner;
  d["quantity"] = quantity;
  d["value"] = value;
  d["states"] = r.scenario->state_names;
  d["quantities"] = quantities;
  return d;
}

py::dict explanation(const Scenario& s, const Engine& engine, std::size_t state) {
  const Explanation e = engine.model().explain(state);
  py::dict d;
  d["state"] = s.state_names[state];
  d["tick"] = engine.tick();
  d["seed"] = engine.seed();
  for (const auto& o : engine.model().classify())
    if (o.state == state) {
      d["label"] = o.label;
      for (const auto& [name, value] : o.qualifiers) d[py::str(name)] = value;
      d["reason"] = o.reason;
    }
  py::dict terms;
  for (const auto& [term, v] : e.terms) terms[py::str(term)] = v;
  d["terms"] = terms;
  py::dict by_partner;
  for (const auto& [term, values] : e.by_partner) {
    py::dict row;
    for (std::size_t k = 0; k < values.size() && k < e.partner_columns.size(); ++k)
      if (k != state) row[py::str(e.partner_columns[k])] = values[k];
    by_partner[py::str(term)] = row;
  }
  d["by_partner"] = by_partner;
  d["reasons"] = e.reasons;
  return d;
}

py::dict explain(const PyRun& r, const std::string& name, std::optional<int> tick) {
  const Scenario& s = *r.scenario;
  const std::size_t state = state_index(s, name);
  if (!tick || *tick == r.engine->tick()) return explanation(s, *r.engine, state);
  if (*tick < 1 || *tick > s.ticks)
    throw py::value_error("tick must be in [1, " + std::to_string(s.ticks) + "], got " + std::to_string(*tick));
  std::unique_ptr<Engine> engine;
  {
    py::gil_scoped_release release;
    engine = run_engine(s, r.engine->seed(), false, *tick);
  }
  return explanation(s, *engine, state);
}

// Runs the expect: block over `seeds` seeds exactly as `alignsim check` does: seed, seed+1, ...
py::list check(const PyScenario& ps, int seeds) {
  if (seeds < 1) throw py::value_error("seeds must be at least 1, got " + std::to_string(seeds));
  const Scenario& s = ps.s;
  const auto& labels = s.expect.labels;
  const auto& facts = s.expect.facts;
  std::vector<int> label_hits(labels.size()), fact_hits(facts.size());
  if (!labels.empty() || !facts.empty()) {
    py::gil_scoped_release release;
    for (int k = 0; k < seeds; ++k) {
      const auto engine = run_engine(s, s.seed + static_cast<std::uint64_t>(k), !facts.empty(), s.ticks);
      const auto outcomes = engine->model().classify();
      for (std::size_t e = 0; e < labels.size(); ++e) label_hits[e] += label_holds(labels[e], s, outcomes);
      for (std::size_t e = 0; e < facts.size(); ++e) fact_hits[e] += fact_holds(facts[e], s, *engine);
    }
  }
  py::list rows;
  auto row = [&](const char* kind, const std::string& what, int hits, double rate) {
    py::dict d;
    d["kind"] = kind;
    d["expectation"] = what;
    d["hits"] = hits;
    d["seeds"] = seeds;
    d["required"] = rate;
    d["holds"] = hits >= rate * seeds - 1e-9;
    rows.append(d);
  };
  for (std::size_t e = 0; e < labels.size(); ++e) row("label", describe(labels[e]), label_hits[e], labels[e].rate);
  for (std::size_t e = 0; e < facts.size(); ++e) row("fact", describe(facts[e]), fact_hits[e], facts[e].rate);
  return rows;
}

// Runs a sweep spec held in `text` into `out_dir` on `threads` threads (run_sweep, the CLI's
// pool). `progress(done, total)` is called on this thread after each commit; Ctrl-C stops the
// sweep after committing the completed points and raises KeyboardInterrupt.
py::dict sweep(const std::string& text, const std::string& file_name, const std::string& out_dir,
               int threads, bool resume, const std::optional<py::function>& progress) {
  if (threads < 1 || threads > 4096)
    throw py::value_error("threads must be in [1, 4096], got " + std::to_string(threads));
  // Problems of the generated spec point at the call (`sweep: error: PATH: ...`), not at lines
  // of a text the caller never saw.
  SweepSpec spec;
  try {
    spec = load_sweep_spec_text(text, file_name, model_registry());
  } catch (const InputError& e) {
    std::vector<Diagnostic> ds = e.diagnostics();
    for (Diagnostic& d : ds)
      if (d.pos.file == file_name) {
        d.pos.line = d.pos.column = 0;
        if (d.path.rfind("parameters.", 0) == 0) d.path = d.path.substr(11);
      }
    throw InputError(ds);
  }
  std::atomic<bool> cancel{false};
  bool interrupted_by_signal = false;
  std::exception_ptr callback_error;
  SweepOptions o;
  o.out_dir = out_dir;
  o.threads = threads;
  o.resume = resume;
  o.cancel = &cancel;
  o.version = ALIGNSIM_VERSION;
  o.progress = [&](const SweepProgress& p) {
    py::gil_scoped_acquire acquire;
    if (PyErr_CheckSignals() != 0) {
      PyErr_Clear();
      interrupted_by_signal = true;
      cancel.store(true);
      return;
    }
    if (progress && !callback_error) {
      try {
        (*progress)(p.runs_done, p.runs_total);
      } catch (...) {
        callback_error = std::current_exception();
        cancel.store(true);
      }
    }
  };
  SweepSummary summary;
  {
    py::gil_scoped_release release;
    summary = run_sweep(spec, model_registry(), o);
  }
  if (callback_error) std::rethrow_exception(callback_error);
  if (interrupted_by_signal) {
    PyErr_SetNone(PyExc_KeyboardInterrupt);
    throw py::error_already_set();
  }
  py::dict d;
  d["points"] = summary.points;
  d["runs_total"] = summary.runs_total;
  d["runs_resumed"] = summary.runs_resumed;
  d["runs_done"] = summary.runs_done;
  d["runs_failed"] = summary.runs_failed;
  d["seconds"] = summary.seconds;
  d["interrupted"] = summary.interrupted;
  d["labels"] = spec.labels;
  d["features"] = spec.all_features;
  return d;
}

py::list models() {
  py::list out;
  for (const auto& m : model_registry().all()) {
    py::dict d;
    d["name"] = m.name;
    d["description"] = m.description;
    d["labels"] = m.schema->labels;
    d["quantities"] = m.schema->quantities;
    py::dict keys;
    auto add = [&](const char* group, const std::vector<KeySpec>& specs) {
      py::list l;
      for (const KeySpec& k : specs)
        l.append(py::dict(py::arg("key") = k.key, py::arg("default") = k.default_value,
                          py::arg("min") = k.min, py::arg("max") = k.max, py::arg("unit") = k.unit,
                          py::arg("doc") = k.doc));
      keys[group] = l;
    };
    add("params", m.schema->params);
    add("classifier", m.schema->classifier);
    add("states", m.schema->state_keys);
    add("relations", m.schema->relation_keys);
    add("policies", m.schema->policy_keys);
    d["keys"] = keys;
    out.append(d);
  }
  return out;
}

// Leaked on purpose: they live as long as the interpreter (no destructor after finalization).
py::handle g_input_error, g_usage_error, g_simulation_error;

}  // namespace

}  // namespace alignsim::python

PYBIND11_MODULE(_core, m) {
  using namespace alignsim;
  using namespace alignsim::python;
  m.doc() = "alignsim's C++ engine (use the alignsim package, which wraps this module).";

  g_input_error = PyErr_NewException("alignsim.InputError", PyExc_ValueError, nullptr);
  g_input_error.attr("__doc__") =
      "Bad input: a scenario, a sweep, a path or a value. str(e) is the CLI's "
      "`file:line:col: error: path: message` text, one line per problem; e.diagnostics is the "
      "list of (file, line, column, path, message) tuples (line 0: the file as a whole).";
  g_usage_error = PyErr_NewException("alignsim.UsageError", PyExc_ValueError, nullptr);
  g_usage_error.attr("__doc__") = "A request that cannot be carried out as asked (e.g. out= names a folder holding another sweep).";
  g_simulation_error = PyErr_NewException("alignsim.SimulationError", PyExc_RuntimeError, nullptr);
  g_simulation_error.attr("__doc__") = "A failure while running that is not the input's fault (I/O, numeric breakdown).";
  m.attr("InputError") = py::reinterpret_borrow<py::object>(g_input_error);
  m.attr("UsageError") = py::reinterpret_borrow<py::object>(g_usage_error);
  m.attr("SimulationError") = py::reinterpret_borrow<py::object>(g_simulation_error);
  m.attr("__version__") = ALIGNSIM_VERSION;

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const InputError& e) {
      py::list diagnostics;
      for (const Diagnostic& d : e.diagnostics())
        diagnostics.append(py::make_tuple(d.pos.file, d.pos.line, d.pos.column, d.path, d.message));
      py::object exc = g_input_error(e.what());
      exc.attr("diagnostics") = diagnostics;
      PyErr_SetObject(g_input_error.ptr(), exc.ptr());
    } catch (const UsageError& e) {
      PyErr_SetString(g_usage_error.ptr(), e.what());
    } catch (const RuntimeError& e) {
      PyErr_SetString(g_simulation_error.ptr(), e.what());
    }
  });

  py::class_<PyScenario>(m, "Scenario", "A validated scenario (see alignsim.load).")
      .def_property_readonly("name", [](const PyScenario& p) { return p.s.name; })
      .def_property_readonly("file", [](const PyScenario& p) { return p.s.file; })
      .def_property_readonly("model", [](const PyScenario& p) { return p.s.model; })
      .def_property_readonly("ticks", [](const PyScenario& p) { return p.s.ticks; })
      .def_property_readonly("seed", [](const PyScenario& p) { return p.s.seed; })
      .def_property_readonly("modified", [](const PyScenario& p) { return p.modified; })
      .def_property_readonly("states", [](const PyScenario& p) { return p.s.state_names; })
      .def_property_readonly("small_states", [](const PyScenario& p) {
        // The states the model labels (the alignment model: its small states).
        const ModelSchema& schema = schema_of_model(p.s);
        std::vector<std::string> out;
        for (std::size_t i = 0; i < p.s.size(); ++i)
          if (is_labelled(schema, p.s, i))
            out.push_back(p.s.state_names[i]);
        return out;
      })
      .def_property_readonly("focal", [](const PyScenario& p) -> py::object {
        // The agent the model's outputs look towards (the alignment model: its focal power).
        const ModelSchema& schema = schema_of_model(p.s);
        if (schema.outputs_towards.empty()) return py::none();
        return py::str(p.s.state_names[p.s.agents.at(schema.outputs_towards)]);
      })
      .def("set_many",
           [](PyScenario& p, const std::vector<std::pair<std::string, double>>& values) {
             std::vector<std::string> sets;
             for (const auto& [path, v] : values) sets.push_back(path + "=" + format_number(v));
             Scenario copy = p.s;  // all or nothing
             cli::apply_overrides(copy, sets);
             p.s = std::move(copy);
             p.modified = true;
           })
      .def("get", [](const PyScenario& p, const std::string& path) { return get_param(p.s, path); })
      .def("to_yaml",
           [](const PyScenario& p) {
             std::ostringstream out;
             write_resolved_yaml(p.s, schema_of_model(p.s), out);
             return out.str();
           })
      .def("copy", [](const PyScenario& p) { return PyScenario(p); });

  py::class_<PyRun, std::shared_ptr<PyRun>>(m, "Run", "One finished run (see alignsim.run).")
      .def_property_readonly("seed", [](const PyRun& r) { return r.engine->seed(); })
      .def_property_readonly("ticks", [](const PyRun& r) { return r.engine->tick(); })
      .def_property_readonly("recorded", [](const PyRun& r) { return r.record; })
      .def_property_readonly("scenario_name", [](const PyRun& r) { return r.scenario->name; })
      .def_property_readonly("events", [](const PyRun& r) { return r.engine->applied_events(); })
      .def("outcome_columns", &outcome_columns)
      .def("timeseries_columns", &timeseries_columns)
      .def("explain", &explain, py::arg("state"), py::arg("tick") = py::none())
      .def("summary_json", [](const PyRun& r) { return cli::summary_json(*r.scenario, *r.engine); })
      .def("explain_json", [](const PyRun& r) { return cli::explain_json(*r.scenario, *r.engine); });

  m.def("load_file",
        [](const std::string& path) {
          return PyScenario{cli::load_scenario(path), false};
        },
        py::arg("path"));
  m.def("load_text",
        [](const std::string& text, const std::string& file_name) {
          return PyScenario{load_scenario_text(text, file_name, model_registry()), false};
        },
        py::arg("text"), py::arg("file_name"));
  m.def("run", &run, py::arg("scenario"), py::arg("seed") = py::none(), py::arg("ticks") = py::none(),
        py::arg("record") = true);
  m.def("check", &check, py::arg("scenario"), py::arg("seeds") = 20);
  m.def("sweep", &sweep, py::arg("text"), py::arg("file_name"), py::arg("out"), py::arg("threads"),
        py::arg("resume") = false, py::arg("progress") = py::none());
  m.def("models", &models);
  m.def("cores", [] { return std::max(1u, std::thread::hardware_concurrency()); });
}
