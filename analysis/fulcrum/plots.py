"""Plots of fulcrum results: one function each, one style, titles and units. Each returns a Figure."""
import matplotlib

matplotlib.use("Agg")  # files and reports, no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

_STYLE = {"figure.figsize": (7.5, 4.2), "axes.grid": True, "grid.alpha": 0.3, "axes.spines.top": False,
          "axes.spines.right": False, "font.size": 10}


def _figure(title):
    with plt.rc_context(_STYLE):
        figure, axes = plt.subplots()
    axes.set_title(title)
    return figure, axes


def _label(ds, metric):
    unit = ds[metric].attrs.get("unit", "")
    return f"{metric.replace('_', ' ')} ({unit})" if unit else metric.replace("_", " ")


def trajectories(datasets, metric, labels=None, firm=None, point=0, interval=0.9):
    """Mean trajectory of a firm series with its `interval` band over replicates, one line per dataset."""
    datasets = datasets if isinstance(datasets, (list, tuple)) else [datasets]
    labels = labels or [ds.attrs.get("source", f"run {i}") for i, ds in enumerate(datasets)]
    figure, axes = _figure(f"{metric.replace('_', ' ')} over time")
    for ds, label in zip(datasets, labels):
        chosen = firm if firm is not None else ds.firm.values[0]
        values = ds[metric].isel(point=point).sel(firm=chosen)  # [replicate, quarter]
        quarters = ds.quarter.values
        mean = np.nanmean(values.values, axis=0)
        low = np.nanquantile(values.values, (1 - interval) / 2, axis=0)
        high = np.nanquantile(values.values, 1 - (1 - interval) / 2, axis=0)
        (line,) = axes.plot(quarters, mean, label=label)
        axes.fill_between(quarters, low, high, color=line.get_color(), alpha=0.2)
    axes.set_xlabel("quarter")
    axes.set_ylabel(_label(datasets[0], metric))
    axes.legend(fontsize=8)
    return figure


def balance_frontier(datasets, labels=None, customer_metric="satisfaction_mean", business_metric="profit", firm=None):
    """Each run as a point: customer outcome (mean satisfaction at the end) against business outcome
    (cumulative profit), the balance frontier."""
    datasets = datasets if isinstance(datasets, (list, tuple)) else [datasets]
    labels = labels or [ds.attrs.get("source", f"run {i}") for i, ds in enumerate(datasets)]
    figure, axes = _figure("customer value against business value")
    for ds, label in zip(datasets, labels):
        chosen = firm if firm is not None else ds.firm.values[0]
        customer = ds[customer_metric].isel(point=0, quarter=-1).sel(firm=chosen).mean().item()
        business = ds[business_metric].isel(point=0).sel(firm=chosen).sum("quarter").mean().item()
        axes.scatter(customer, business)
        axes.annotate(label, (customer, business), fontsize=8, xytext=(4, 4), textcoords="offset points")
    axes.set_xlabel(f"{customer_metric.replace('_', ' ')} at the end ({datasets[0][customer_metric].attrs.get('unit', '')})")
    axes.set_ylabel(f"cumulative {business_metric} ({datasets[0][business_metric].attrs.get('unit', '')})")
    return figure


def cost_categories(ds, firm=None, point=0):
    """Costs stacked by seed 002's categories: deliver (good), react (bad), changes (good)."""
    chosen = firm if firm is not None else ds.firm.values[0]
    figure, axes = _figure("costs by category")
    quarters = ds.quarter.values
    parts = [("cost_deliver", "deliver what you promised (good)", "#4c72b0"),
             ("cost_react", "react to promises you broke (bad)", "#c44e52"),
             ("cost_changes", "handle changes customers make (good)", "#55a868")]
    stacked = [ds[name].isel(point=point).sel(firm=chosen).mean("replicate").values for name, _, _ in parts]
    axes.stackplot(quarters, *stacked, labels=[label for _, label, _ in parts], colors=[c for _, _, c in parts], alpha=0.85)
    axes.set_xlabel("quarter")
    axes.set_ylabel("currency per quarter")
    axes.legend(fontsize=8, loc="upper left")
    return figure


def annuity_waterfall(ds, firm=None, point=0, every=4):
    """The CX annuity: prevention spend going out, the annuity flowing back, cumulated, by year."""
    chosen = firm if firm is not None else ds.firm.values[0]
    spend = ds["prevention_spend"].isel(point=point).sel(firm=chosen).mean("replicate").values
    annuity = ds["cx_annuity"].isel(point=point).sel(firm=chosen).mean("replicate").values
    figure, axes = _figure("customer-experience annuity against prevention spend")
    net = 0.0
    for start in range(1, len(annuity), every):
        period = slice(start, start + every)
        for amount, colour in ((-spend[period].sum(), "#c44e52"), (annuity[period].sum(), "#55a868")):
            axes.bar(start, amount, bottom=net, width=every * 0.8, color=colour, align="edge")
            net += amount
    axes.axhline(0, color="black", linewidth=0.8)
    axes.set_xlabel("quarter (bars per year: red prevention spent, green annuity earned, stacked)")
    axes.set_ylabel("cumulative currency")
    return figure


def cohort_survival(ds, firm=None, point=0, cohorts=None):
    """Share of each acquisition cohort still active, by quarters since acquisition."""
    chosen = firm if firm is not None else ds.firm.values[0]
    table = ds["cohorts_active"].isel(point=point).sel(firm=chosen).mean("replicate").values  # [cohort, quarter]
    figure, axes = _figure("cohort survival")
    quarters = len(ds.quarter)
    cohorts = cohorts if cohorts is not None else list(range(0, quarters - 1, max(1, quarters // 6)))
    for cohort in cohorts:
        start = table[cohort, cohort]
        if start <= 0:
            continue
        axes.plot(np.arange(quarters - cohort), table[cohort, cohort:] / start, label=f"acquired in quarter {cohort}")
    axes.set_xlabel("quarters since acquisition")
    axes.set_ylabel("share still active")
    axes.set_ylim(0, 1.05)
    axes.legend(fontsize=8)
    return figure


def market_share(ds, event_table=None, point=0):
    """Market share of every firm over time, with funding events marked."""
    figure, axes = _figure("market share")
    quarters = ds.quarter.values
    for firm in ds.firm.values:
        axes.plot(quarters, ds["market_share"].isel(point=point).sel(firm=firm).mean("replicate").values, label=firm)
    if event_table is not None and len(event_table):
        marks = {"funding_round": ("^", "funding round"), "tap_off": ("v", "tap off"),
                 "subsidy_end": ("s", "subsidy ends"), "bankruptcy": ("x", "bankruptcy")}
        first = event_table[(event_table.point == point) & (event_table.replicate == 0)]
        for kind, (marker, label) in marks.items():
            chosen = first[first.kind == kind]
            if len(chosen):
                shares = [ds["market_share"].isel(point=point, replicate=0).sel(quarter=q).isel(firm=f).item()
                          for q, f in zip(chosen.quarter, chosen.firm)]
                axes.scatter(chosen.quarter, shares, marker=marker, s=50, label=label, zorder=3)
    axes.set_xlabel("quarter")
    axes.set_ylabel("fraction of active customers")
    axes.legend(fontsize=8)
    return figure


def tornado(effects, title="one-at-a-time effects"):
    """Horizontal bars of (parameter, low effect, high effect), widest on top."""
    effects = sorted(effects, key=lambda row: abs(row[2] - row[1]))
    figure, axes = _figure(title)
    for i, (name, low, high) in enumerate(effects):
        axes.barh(i, high, color="#4c72b0")
        axes.barh(i, low, color="#c44e52")
    axes.set_yticks(range(len(effects)), [row[0] for row in effects])
    axes.axvline(0, color="black", linewidth=0.8)
    return figure


def sobol_bars(indices, title="Sobol indices"):
    """First-order and total indices with their intervals (a table from fulcrum.sobol_indices)."""
    figure, axes = _figure(title)
    x = np.arange(len(indices))
    for offset, column, label in ((-0.2, "first_order", "first order"), (0.2, "total", "total")):
        values = indices[column].values
        errors = [values - indices[f"{column}_low"].values, indices[f"{column}_high"].values - values]
        axes.bar(x + offset, values, width=0.4, yerr=errors, capsize=3, label=label)
    axes.set_xticks(x, indices["parameter"])
    axes.set_ylabel("share of output variance")
    axes.legend(fontsize=8)
    return figure
