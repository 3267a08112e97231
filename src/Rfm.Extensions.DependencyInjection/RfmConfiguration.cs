using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Rfm.Extensions.DependencyInjection;

/// <summary>
/// Reads an <see cref="IConfiguration"/> section into <see cref="RfmOptions"/> by hand: no reflection, so the package
/// stays trimmable, and a misspelt or unreadable setting is an error at start rather than silently ignored.
/// </summary>
internal static class RfmConfiguration
{
    private static readonly string[] Settings =
    [
        nameof(RfmCalculatorOptions.Preset), nameof(RfmCalculatorOptions.Bins), nameof(RfmCalculatorOptions.Scoring), nameof(RfmCalculatorOptions.RecencyScoring),
        nameof(RfmCalculatorOptions.FrequencyScoring), nameof(RfmCalculatorOptions.MonetaryScoring), nameof(RfmCalculatorOptions.SegmentMap),
        nameof(RfmCalculatorOptions.Cancellations), nameof(RfmCalculatorOptions.ExcludeNonPositive), nameof(RfmCalculatorOptions.DropNonPositiveCustomers),
        nameof(RfmOptions.AsOf), nameof(RfmOptions.TimeZone),
    ];

    public static void Bind(IConfiguration section, RfmOptions options, bool sectionRequired)
    {
        if (sectionRequired && !section.GetChildren().Any() && (section as IConfigurationSection)?.Value is null or "")
        {
            var path = section is IConfigurationSection { Path: { Length: > 0 } named } ? $"'{named}'" : "the root";
            options.ConfigurationErrors.Add($"The configuration section {path} is missing or empty, and AddRfm was told to require it.");
            return;
        }

        foreach (var setting in section.GetChildren())
        {
            var value = setting.Value;
            var where = setting.Path;
            if (value is null && setting.GetChildren().Any())
            {
                options.ConfigurationErrors.Add($"{where}: a section, where a value was expected (a named profile is added with AddRfm(name, section) from a section of its own).");
                continue;
            }

            var name = Array.Find(Settings, s => s.Equals(setting.Key, StringComparison.OrdinalIgnoreCase));

            // An empty value (JSON null) leaves the setting unset.
            if (name is not null && string.IsNullOrEmpty(value))
            {
                continue;
            }

            switch (name)
            {
                case nameof(RfmCalculatorOptions.Preset):
                    options.Calculator.Preset = value!;
                    break;
                case nameof(RfmCalculatorOptions.Bins):
                    options.Calculator.Bins = Number(value, where, options);
                    break;
                case nameof(RfmCalculatorOptions.Scoring):
                    options.Calculator.Scoring = value;
                    break;
                case nameof(RfmCalculatorOptions.RecencyScoring):
                    options.Calculator.RecencyScoring = value;
                    break;
                case nameof(RfmCalculatorOptions.FrequencyScoring):
                    options.Calculator.FrequencyScoring = value;
                    break;
                case nameof(RfmCalculatorOptions.MonetaryScoring):
                    options.Calculator.MonetaryScoring = value;
                    break;
                case nameof(RfmCalculatorOptions.SegmentMap):
                    options.Calculator.SegmentMap = value;
                    break;
                case nameof(RfmCalculatorOptions.Cancellations):
                    options.Calculator.Cancellations = value;
                    break;
                case nameof(RfmCalculatorOptions.ExcludeNonPositive):
                    options.Calculator.ExcludeNonPositive = Flag(value, where, options);
                    break;
                case nameof(RfmCalculatorOptions.DropNonPositiveCustomers):
                    options.Calculator.DropNonPositiveCustomers = Flag(value, where, options);
                    break;
                case nameof(RfmOptions.AsOf):
                    options.AsOf = Instant(value, where, options);
                    break;
                case nameof(RfmOptions.TimeZone):
                    options.TimeZone = value;
                    break;
                default:
                    options.ConfigurationErrors.Add($"{where}: not a setting; the settings are {string.Join(", ", Settings)}.");
                    break;
            }
        }
    }

    private static int? Number(string? value, string where, RfmOptions options)
    {
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        options.ConfigurationErrors.Add($"{where}: '{value}' is not a whole number.");
        return null;
    }

    private static bool? Flag(string? value, string where, RfmOptions options)
    {
        if (bool.TryParse(value, out var flag))
        {
            return flag;
        }

        options.ConfigurationErrors.Add($"{where}: '{value}' is not true or false.");
        return null;
    }

    private static DateTime? Instant(string? value, string where, RfmOptions options)
    {
        // The ISO 8601 forms the readers take: a time zone converts to UTC; without one the instant is taken as given.
        if (value is not null && RowContract.TryParseTimestamp(value, format: null, out var instant))
        {
            return instant;
        }

        options.ConfigurationErrors.Add($"{where}: '{value}' is not a date such as 2011-12-10 or 2011-12-10T08:00:00.");
        return null;
    }
}
