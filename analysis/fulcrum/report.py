"""One self-contained HTML report comparing result files: key numbers, figures (embedded), scenario
texts and parameter differences."""
import base64
import html
import io
import json
import pathlib

from . import plots
from .results import events, load, summary

KEY_METRICS = ["customers_active", "market_share", "revenue", "profit", "cash", "satisfaction_mean", "nps",
               "remedial_cost", "cx_annuity_npv"]


def _embed(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plots.plt.close(figure)
    return f'<img alt="figure" src="data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}">'


def _label(path):
    return pathlib.Path(path).stem


def _parameter_differences(datasets, labels):
    values = [json.loads(ds.attrs["parameters_json"]) for ds in datasets]
    keys = sorted(set().union(*values))
    rows = [(key, [v.get(key, "") for v in values]) for key in keys]
    return [(key, row) for key, row in rows if len({json.dumps(x) for x in row}) > 1]


def report(paths, output, title="fulcrum report"):
    """Writes `output` (HTML, figures embedded) comparing the result files `paths`; returns its path and
    the list of figure titles it contains."""
    paths = [str(p) for p in (paths if isinstance(paths, (list, tuple)) else [paths])]
    datasets = [load(p) for p in paths]
    labels = [_label(p) for p in paths]
    figures = []

    def add(name, figure):
        figures.append((name, _embed(figure)))

    for metric in ("customers_active", "revenue", "profit", "cash", "satisfaction_mean", "nps"):
        add(f"{metric.replace('_', ' ')} over time", plots.trajectories(datasets, metric, labels))
    if len(datasets) > 1:
        add("the balance frontier", plots.balance_frontier(datasets, labels))
    for ds, label in zip(datasets, labels):
        add(f"{label}: costs by category", plots.cost_categories(ds))
        if float(ds["prevention_spend"].sum()) > 0:
            add(f"{label}: CX annuity", plots.annuity_waterfall(ds))
        add(f"{label}: cohort survival", plots.cohort_survival(ds))
        if ds.sizes["firm"] > 1:
            add(f"{label}: market share", plots.market_share(ds, events(ds.attrs["source"])))

    tables = []
    for ds, label in zip(datasets, labels):
        table = summary(ds, [m for m in KEY_METRICS if m in ds])
        table.insert(0, "run", label)
        tables.append(table)
    import pandas as pd

    key_numbers = pd.concat(tables).to_html(index=False, float_format=lambda v: f"{v:,.2f}", border=0)
    differences = _parameter_differences(datasets, labels)
    difference_rows = "".join(
        f"<tr><td><code>{html.escape(k)}</code></td>" + "".join(f"<td>{html.escape(json.dumps(v))}</td>" for v in row) + "</tr>"
        for k, row in differences)
    scenario_texts = "".join(
        f"<details><summary>{html.escape(label)}</summary><pre>{html.escape(ds.attrs['scenario_toml'])}</pre></details>"
        for ds, label in zip(datasets, labels))
    body = f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}} table{{border-collapse:collapse;font-size:12px}}
td,th{{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}} img{{max-width:100%}} pre{{font-size:11px;background:#f6f6f6;padding:1em}}</style>
</head><body><h1>{html.escape(title)}</h1>
<p>Runs: {", ".join(html.escape(label) for label in labels)}. Means over replicates at the last quarter with the 90% interval.</p>
<h2>Key numbers</h2>{key_numbers}
<h2>Figures</h2>{"".join(f"<h3>{html.escape(name)}</h3>{image}" for name, image in figures)}
<h2>Parameter differences</h2><table><tr><th>parameter</th>{"".join(f"<th>{html.escape(l)}</th>" for l in labels)}</tr>{difference_rows}</table>
<h2>Scenarios (resolved)</h2>{scenario_texts}
</body></html>"""
    output = pathlib.Path(output)
    output.write_text(body, encoding="utf-8")
    return output, [name for name, _ in figures]
