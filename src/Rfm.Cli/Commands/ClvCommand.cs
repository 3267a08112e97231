using System.CommandLine;
using System.Globalization;
using Rfm.Cli.Output;
using Column = Rfm.Cli.Output.TextTable.Column;
using Rfm.Lifetimes;

namespace Rfm.Cli.Commands;

/// <summary><c>rfm clv</c>: predictive customer lifetime value with BG/NBD, MBG/NBD or Pareto/NBD and Gamma-Gamma.</summary>
internal static class ClvCommand
{
    private static readonly Option<string> CalibrationEnd = new("--calibration-end") { Description = "The last day of calibration, yyyy-MM-dd, included: the models learn from purchases up to it.", Required = true };
    private static readonly Option<string?> HoldoutEnd = new("--holdout-end") { Description = "The last day of a holdout period after calibration, yyyy-MM-dd, included: the summary compares predicted with actual purchases there." };
    private static readonly Option<string> Horizon = new("--horizon") { Description = "How far ahead to predict, in --unit: purchases and CLV over the next N units after calibration.", Required = true };
    private static readonly Option<string> Unit = new("--unit") { Description = "day, week or month (30.436875 days): the unit of t_x, T, the horizon and the fitted scales.", DefaultValueFactory = _ => "week" };
    private static readonly Option<string> Model = new("--model") { Description = "bgnbd, mbgnbd or pareto-nbd: the purchase model.", DefaultValueFactory = _ => "bgnbd" };
    private static readonly Option<string?> DiscountRate = new("--discount-rate") { Description = "The annual discount rate of CLV, 0 to 1, e.g. 0.1 for 10%. Default: 0.1." };
    private static readonly Option<string?> Penalty = new("--penalty") { Description = "An L2 penalty λ for data that barely identify the parameters: the fits maximise the mean log-likelihood per customer − λ·Σ(ln θ)². Default: 0 (plain maximum likelihood)." };
    private static readonly Option<string?> Schedule = new("--schedule") { Description = "Add the discounted CLV of each of the first N units (weeks with --unit week, months with --unit month) as columns clv_1..clv_N, and the total per unit to the summary; N from 1 to --horizon (at most 1,000)." };
    private static readonly Option<string?> Out = new("--out", "-o") { Description = "Write one row per customer to this file (- for standard output)." };

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly string[] Columns = ["customer_id", "x", "t_x", "T", "p_alive", "expected_purchases", "expected_average_spend", "clv"];

    public static Command Create(CliConsole console)
    {
        var command = new Command("clv", "Predictive customer lifetime value: fits BG/NBD, MBG/NBD or Pareto/NBD and Gamma-Gamma to the purchases up to --calibration-end and writes each customer's P(alive), expected purchases, expected spend and discounted CLV over --horizon.")
        {
            TransactionInput.Input, CalibrationEnd, HoldoutEnd, Horizon, Unit, Model, DiscountRate, Penalty, Schedule, Out, CommandOutput.Format,
        };
        TransactionInput.AddInputOptions(command);
        command.SetAction(parse => Run(parse, console));
        return command;
    }

    private static int Run(ParseResult parse, CliConsole console)
    {
        var calibrationEnd = Day(parse.GetValue(CalibrationEnd)!, "--calibration-end");
        var holdoutEnd = parse.GetValue(HoldoutEnd) is { } holdout ? Day(holdout, "--holdout-end") : (DateOnly?)null;
        if (holdoutEnd <= calibrationEnd)
        {
            throw new UsageException($"--holdout-end {holdoutEnd:yyyy-MM-dd} must be after --calibration-end {calibrationEnd:yyyy-MM-dd}.");
        }

        var horizon = CliText.WholeNumber(parse.GetValue(Horizon), "--horizon", 1, 100_000)!.Value;
        var periods = CliText.WholeNumber(parse.GetValue(Schedule), "--schedule", 1, 1_000);
        if (periods > horizon)
        {
            throw new UsageException(string.Create(Invariant, $"--schedule {periods} must not exceed --horizon {horizon}: the schedule splits the CLV over the horizon."));
        }

        var unit = CliText.ExactName<TimeUnit>(parse.GetValue(Unit)!) ?? throw new UsageException($"--unit '{parse.GetValue(Unit)}': use day, week, month.");
        Func<IEnumerable<CustomerActivity>, FitOptions, IPurchaseModel> fitPurchases = parse.GetValue(Model) switch
        {
            "bgnbd" => BgNbdModel.Fit,
            "mbgnbd" => MbgNbdModel.Fit,
            "pareto-nbd" => ParetoNbdModel.Fit,
            var other => throw new UsageException($"--model '{other}': use bgnbd, mbgnbd, pareto-nbd."),
        };
        var discountRate = Number(parse.GetValue(DiscountRate), "--discount-rate", 0.1, 1, "an annual rate such as 0.1 for 10%");
        var options = new FitOptions { Penalty = Number(parse.GetValue(Penalty), "--penalty", 0, double.MaxValue, "a coefficient such as 0.01") };
        var (path, format) = CommandOutput.Choose(parse, Out);

        // Read to the end of the last day studied: later rows are counted as after the analysis date.
        var lastDay = holdoutEnd ?? calibrationEnd;
        var read = TransactionInput.Read(
            parse, console, TransactionInput.ChoosePresetCalculator(parse), lastDay.ToDateTime(TimeOnly.MaxValue), parse.GetValue(TransactionInput.Input)!, keepOrders: true);
        var summary = CalibrationSummary.From(read.Accumulator.History(), calibrationEnd, holdoutEnd, unit);
        if (summary.Customers.IsEmpty)
        {
            throw new InputException($"{read.DisplayName}: no customer made a first purchase on or before {calibrationEnd:yyyy-MM-dd}; choose a later --calibration-end.");
        }

        var (purchases, spend, correlation) = Fit(summary, fitPurchases, options, read.DisplayName, console.Error);
        var calculator = Calculator(read.DisplayName, () => new ClvCalculator(purchases, spend, horizon, unit, discountRate));
        var values = Predict(calculator, summary, read.DisplayName);
        var schedule = periods is { } n
            ? Predict(Calculator(read.DisplayName, () => new ClvCalculator(purchases, spend, n, unit, discountRate)), summary.Customers, read.DisplayName)
            : null;

        var table = path is null
            ? console.Summary
            : CommandOutput.WriteText(parse, path, console, writer => WriteRows(values, schedule, format, writer));
        WriteSummary(table, read.DisplayName, summary, calculator, values, correlation, schedule);
        return ExitCodes.Success;
    }

    private static (IPurchaseModel Purchases, GammaGammaModel Spend, double? Correlation) Fit(
        CalibrationSummary summary, Func<IEnumerable<CustomerActivity>, FitOptions, IPurchaseModel> fitPurchases, FitOptions options, string input, TextWriter warnings)
    {
        try
        {
            // The spend checks first: every repeat customer's money is checked there, the cheaper error to meet.
            var correlation = GammaGammaModel.SpendFrequencyCorrelation(summary.Customers);
            if (Math.Abs(correlation ?? 0) > GammaGammaModel.SpendFrequencyCorrelationThreshold)
            {
                warnings.WriteLine(string.Create(
                    Invariant,
                    $"warning: {input}: the correlation between repeat purchases (x) and mean repeat spend (m_x) is r = {correlation:0.000}, beyond the threshold |r| > {GammaGammaModel.SpendFrequencyCorrelationThreshold}; the Gamma-Gamma model assumes spend independent of frequency, so its expected spend and the CLV may be biased."));
            }

            var spend = GammaGammaModel.Fit(summary.Customers, options);
            return (fitPurchases(summary.Customers, options), spend, correlation);
        }
        catch (ArgumentException ex) when (ex.ParamName == "customers")
        {
            throw new InputException($"{input}: {CliText.ForCommandLine(ErrorMessages.Plain(ex))}", ex);
        }
        catch (ModelFitException ex)
        {
            throw new InputException($"{input}: {CliText.ForCommandLine(ex.Message)}", ex);
        }
    }

    private static ClvCalculator Calculator(string input, Func<ClvCalculator> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException ex) when (ex.ParamName == "spend")
        {
            throw new InputException($"{input}: {CliText.ForCommandLine(ErrorMessages.Plain(ex))}", ex);
        }
    }

    private static ClvSchedule Predict(ClvCalculator calculator, IEnumerable<CustomerActivity> customers, string input)
    {
        try
        {
            return calculator.Schedule(customers);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArithmeticException or ArgumentException)
        {
            throw new InputException($"{input}: {CliText.ForCommandLine(ex.Message)}", ex);
        }
    }

    private static CustomerValue[] Predict(ClvCalculator calculator, CalibrationSummary summary, string input)
    {
        try
        {
            return [.. calculator.Calculate(summary.Customers)];
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArithmeticException or ArgumentException)
        {
            throw new InputException($"{input}: {CliText.ForCommandLine(ex.Message)}", ex);
        }
    }

    private static object?[] Values(CustomerValue v) =>
        [v.Customer.CustomerId, v.Customer.RepeatPurchases, v.Customer.TimeOfLastPurchase, v.Customer.Age, v.ProbabilityAlive, v.ExpectedPurchases, v.ExpectedAverageSpend, v.LifetimeValue];

    private static void WriteRows(CustomerValue[] values, ClvSchedule? schedule, string format, TextWriter writer)
    {
        string[] columns = schedule is null ? Columns : [.. Columns, .. Enumerable.Range(1, schedule.Periods).Select(k => string.Create(Invariant, $"clv_{k}"))];
        var rows = schedule is null
            ? values.Select(Values)
            : values.Select((v, i) => (object?[])[.. Values(v), .. schedule.Customers[i].Values.Select(x => (object?)x)]);
        if (format == "json")
        {
            CommandOutput.Json(writer, stream => TidyRows.WriteJson(stream, columns, rows));
            return;
        }

        TidyRows.WriteCsv(writer, columns, rows);
    }

    private static void WriteSummary(TextWriter writer, string input, CalibrationSummary summary, ClvCalculator calculator, CustomerValue[] values, double? correlation, ClvSchedule? schedule)
    {
        var unit = calculator.Unit.ToString().ToLowerInvariant();
        var holdout = summary.HoldoutEnd is { } end ? string.Create(Invariant, $", holdout to {end:yyyy-MM-dd} ({summary.HoldoutLength:0.##} {unit}s)") : string.Empty;
        writer.WriteLine(string.Create(Invariant, $"Lifetime value of {input}: calibration to {summary.CalibrationEnd:yyyy-MM-dd}{holdout}, times in {unit}s"));
        SummaryTable.WriteIngestion(summary.Ingestion, writer);
        writer.WriteLine(string.Create(
            Invariant,
            $"in calibration: customers {summary.Customers.Length:N0}, {summary.Customers.Count(c => c.RepeatPurchases > 0):N0} with repeat purchases; first seen in the holdout (left out) {summary.CustomersFirstSeenInHoldout:N0}"));
        writer.WriteLine();

        WriteModel(writer, calculator.Purchases.Name, calculator.Purchases.Parameters, calculator.Purchases.Estimation!);
        WriteModel(writer, calculator.Spend.Name, calculator.Spend.Parameters, calculator.Spend.Estimation!);
        var r = correlation is { } value ? value.ToString("0.000", Invariant) : "undefined";
        var threshold = GammaGammaModel.SpendFrequencyCorrelationThreshold;
        var verdict = Math.Abs(correlation ?? 0) > threshold
            ? string.Create(Invariant, $"beyond the threshold |r| > {threshold}")
            : string.Create(Invariant, $"within the threshold |r| <= {threshold}");
        writer.WriteLine($"frequency-spend correlation r {r} between x and m_x: {verdict} (the model assumes 0)");

        if (summary.HoldoutEnd is not null)
        {
            var comparison = HoldoutComparison.Of(calculator.Purchases, summary);
            writer.WriteLine();
            writer.WriteLine(string.Create(Invariant, $"Holdout: purchases per customer by repeat purchases in calibration (x), actual against {calculator.Purchases.Name}"));
            var table = new TextTable(Column.LeftOf(5), new(11), new(10), new(11), Column.LeftOf(0)).Add("x", "customers", "actual", "predicted", string.Empty);
            foreach (var group in comparison.Groups)
            {
                var x = group.RepeatPurchases.ToString(Invariant) + (group.AndMore ? "+" : string.Empty);
                table.Add(x, group.Customers.ToString("N0", Invariant), group.ActualMean.ToString("N3", Invariant), group.PredictedMean.ToString("N3", Invariant), string.Empty);
            }

            table.Add(
                "all",
                comparison.Groups.Sum(g => g.Customers).ToString("N0", Invariant),
                comparison.ActualPurchases.ToString("N0", Invariant),
                comparison.PredictedPurchases.ToString("N1", Invariant),
                "  (total purchases)");
            table.Write(writer);
        }

        writer.WriteLine();
        var total = values.Sum(v => v.LifetimeValue);
        writer.WriteLine(string.Create(
            Invariant,
            $"Over the next {calculator.Horizon:N0} {unit}s discounted at {calculator.AnnualDiscountRate * 100:0.##}% a year: expected purchases {values.Sum(v => v.ExpectedPurchases):N1}, CLV {total:N2} in all, {total / values.Length:N2} a customer"));
        if (schedule is not null)
        {
            writer.WriteLine();
            writer.WriteLine(string.Create(Invariant, $"CLV per {unit} (all customers, discounted), the first {schedule.Periods:N0} of the horizon"));
            var table = new TextTable(Column.LeftOf(6), new(16), new(16)).Add(unit, "clv", "cumulative");
            double cumulative = 0;
            for (var k = 0; k < schedule.Periods; k++)
            {
                cumulative += schedule.Totals[k];
                table.Add((k + 1).ToString(Invariant), schedule.Totals[k].ToString("N2", Invariant), cumulative.ToString("N2", Invariant));
            }

            table.Write(writer);
        }
    }

    private static void WriteModel(TextWriter writer, string name, IEnumerable<ModelParameter> parameters, ModelEstimation estimation)
    {
        var values = string.Join("  ", parameters.Select(p => string.Create(Invariant, $"{p.Name} {p.Value:0.0000} ({(p.StandardError is { } se ? se.ToString("0.0000", Invariant) : "n/a")})")));
        writer.WriteLine(string.Create(Invariant, $"{name,-12}{values}  LL {estimation.LogLikelihood:0.00}  ({estimation.Customers:N0} customers)"));
    }

    private static DateOnly Day(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", Invariant, DateTimeStyles.None, out var day)
            ? day
            : throw new UsageException($"{option} '{text}': expected a day like 1997-09-30.");

    private static double Number(string? text, string option, double fallback, double max, string example) =>
        text is null
            ? fallback
            : double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, Invariant, out var value) && value >= 0 && value <= max
                ? value
                : throw new UsageException(string.Create(Invariant, $"{option} '{text}': expected {example}, {(max < double.MaxValue ? $"0 to {max}" : "0 or more")}."));
}
