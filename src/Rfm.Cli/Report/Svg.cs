using System.Globalization;
using System.Net;
using System.Text;

namespace Rfm.Cli.Report;

/// <summary>One cell of a heatmap: where it is, how strong its colour, the lines written in it and its tooltip.</summary>
internal sealed record HeatCell(int Column, int Row, double Intensity, IReadOnlyList<string> Lines, string Tooltip);

/// <summary>One bar: its label, its length as a fraction of the longest, the value written beside it and its tooltip.</summary>
internal sealed record Bar(string Label, double Fraction, string Text, string Tooltip);

/// <summary>One point of a line: its label on the x axis, its height as a fraction of the highest, and its tooltip.</summary>
internal sealed record Point(string Label, double Fraction, string Tooltip);

/// <summary>
/// Inline SVG charts that need no script, font or network: every chart has a title and a description for screen
/// readers, every data mark has class <c>mark</c> and a tooltip, and every value is also written as text, so colour
/// is never the only cue.
/// </summary>
internal static class Svg
{
    /// <summary>
    /// A grid of cells shaded by intensity (0..1), with column labels below and row labels on the left. Cells are
    /// <paramref name="cellWidth"/> by 18 + 16 a line of text high.
    /// </summary>
    public static string Heatmap(string id, string title, string description, IReadOnlyList<string> columns, IReadOnlyList<string> rows, IReadOnlyList<HeatCell> cells, string xAxis, string yAxis, int cellWidth = 118)
    {
        var cellW = cellWidth;
        var cellH = 12 + (16 * Math.Max(1, cells.Count == 0 ? 1 : cells.Max(c => c.Lines.Count)));
        // Room for the longest row label (about 7 units a character at 12px) and the axis title.
        var margin = Math.Max(56, 34 + (7 * (rows.Count == 0 ? 0 : rows.Max(r => r.Length))));
        var width = margin + (columns.Count * cellW) + 8;
        var height = (rows.Count * cellH) + 56;
        var svg = Open(id, title, description, width, height);
        foreach (var cell in cells)
        {
            var x = margin + (cell.Column * cellW);
            var y = cell.Row * cellH;
            var dark = WhiteReadsBetter(cell.Intensity);
            svg.Append(Invariant($"<g class=\"cell\"><rect class=\"mark\" x=\"{x + 1}\" y=\"{y + 1}\" width=\"{cellW - 2}\" height=\"{cellH - 2}\" rx=\"3\" fill=\"{Blue(cell.Intensity)}\"><title>{Text(cell.Tooltip)}</title></rect>"));
            for (var i = 0; i < cell.Lines.Count; i++)
            {
                var weight = i == 0 ? " font-weight=\"600\"" : string.Empty;
                svg.Append(Invariant($"<text x=\"{x + (cellW / 2)}\" y=\"{y + 18 + (i * 16)}\" text-anchor=\"middle\" class=\"{(dark ? "on-dark" : "on-light")}\"{weight}>{Text(cell.Lines[i])}</text>"));
            }

            svg.Append("</g>");
        }

        for (var c = 0; c < columns.Count; c++)
        {
            svg.Append(Invariant($"<text x=\"{margin + (c * cellW) + (cellW / 2)}\" y=\"{(rows.Count * cellH) + 18}\" text-anchor=\"middle\" class=\"axis\">{Text(columns[c])}</text>"));
        }

        for (var r = 0; r < rows.Count; r++)
        {
            svg.Append(Invariant($"<text x=\"{margin - 8}\" y=\"{(r * cellH) + (cellH / 2) + 4}\" text-anchor=\"end\" class=\"axis\">{Text(rows[r])}</text>"));
        }

        svg.Append(Invariant($"<text x=\"{margin + (columns.Count * cellW / 2)}\" y=\"{height - 6}\" text-anchor=\"middle\" class=\"axis-title\">{Text(xAxis)}</text>"));
        svg.Append(Invariant($"<text transform=\"translate(14 {rows.Count * cellH / 2}) rotate(-90)\" text-anchor=\"middle\" class=\"axis-title\">{Text(yAxis)}</text>"));
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Horizontal bars, one per label, with the value written at the end of each.</summary>
    public static string Bars(string id, string title, string description, IReadOnlyList<Bar> bars)
    {
        const int LabelWidth = 150, BarWidth = 200, BarHeight = 22, Gap = 8;
        var height = (bars.Count * (BarHeight + Gap)) + Gap;
        var svg = Open(id, title, description, LabelWidth + BarWidth + 170, height);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var y = Gap + (i * (BarHeight + Gap));
            var length = Math.Max(1, bar.Fraction * BarWidth);
            svg.Append(Invariant($"<text x=\"{LabelWidth - 8}\" y=\"{y + 15}\" text-anchor=\"end\" class=\"axis\">{Text(bar.Label)}</text>"));
            svg.Append(Invariant($"<rect class=\"mark\" x=\"{LabelWidth}\" y=\"{y}\" width=\"{length:0.#}\" height=\"{BarHeight}\" fill=\"#2563eb\"><title>{Text(bar.Tooltip)}</title></rect>"));
            svg.Append(Invariant($"<text x=\"{LabelWidth + length + 6:0.#}\" y=\"{y + 15}\" class=\"value\">{Text(bar.Text)}</text>"));
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>A line through points spaced evenly along the x axis, each point a mark; every few labels are written.</summary>
    public static string Line(string id, string title, string description, IReadOnlyList<Point> points, string maxLabel)
    {
        const int Width = 500, Height = 220, Left = 34, Bottom = 30, Top = 22;
        var svg = Open(id, title, description, Width, Height);
        var step = points.Count > 1 ? (Width - (2 * Left)) / (double)(points.Count - 1) : 0;
        double X(int i) => Left + (i * step);
        double Y(double fraction) => Top + ((1 - fraction) * (Height - Top - Bottom));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(0):0.#}\" x2=\"{Width - Left}\" y2=\"{Y(0):0.#}\" class=\"grid\"/>"));
        svg.Append(Invariant($"<line x1=\"{Left}\" y1=\"{Y(1):0.#}\" x2=\"{Width - Left}\" y2=\"{Y(1):0.#}\" class=\"grid\"/>"));
        svg.Append(Invariant($"<text x=\"{Left}\" y=\"{Top - 6}\" class=\"axis\">{Text(maxLabel)}</text>"));
        svg.Append("<polyline fill=\"none\" stroke=\"#2563eb\" stroke-width=\"2\" points=\"")
            .AppendJoin(' ', points.Select((p, i) => Invariant($"{X(i):0.#},{Y(p.Fraction):0.#}")))
            .Append("\"/>");
        var labelEvery = Math.Max(1, (int)Math.Ceiling(points.Count / 8.0));
        for (var i = 0; i < points.Count; i++)
        {
            svg.Append(Invariant($"<circle class=\"mark\" cx=\"{X(i):0.#}\" cy=\"{Y(points[i].Fraction):0.#}\" r=\"4\" fill=\"#1d4ed8\"><title>{Text(points[i].Tooltip)}</title></circle>"));
            // Every few points only: a forced last label would overlap its neighbour.
            if (i % labelEvery == 0)
            {
                svg.Append(Invariant($"<text x=\"{X(i):0.#}\" y=\"{Height - 10}\" text-anchor=\"middle\" class=\"axis\">{Text(points[i].Label)}</text>"));
            }
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Text for SVG and HTML: markup characters escaped.</summary>
    public static string Text(string text) => WebUtility.HtmlEncode(text);

    /// <summary>From a pale grey-blue (0) to a deep blue (1).</summary>
    public static string Blue(double intensity)
    {
        var t = Math.Clamp(double.IsFinite(intensity) ? intensity : 0, 0, 1);
        static int Mix(int from, int to, double t) => (int)Math.Round(from + ((to - from) * t));
        return Invariant($"#{Mix(0xee, 0x1e, t):x2}{Mix(0xf2, 0x3a, t):x2}{Mix(0xf7, 0x8a, t):x2}");
    }

    // A chart is never drawn smaller than its own units, so its 12-unit text is never under 12 px; a narrow screen
    // scrolls the chart within its box instead.
    /// <summary>Whether white text contrasts more than the dark ink with a cell of this intensity (WCAG relative luminance).</summary>
    public static bool WhiteReadsBetter(double intensity)
    {
        var colour = Blue(intensity);
        static double Channel(string hex)
        {
            var c = Convert.ToInt32(hex, 16) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        var luminance = (0.2126 * Channel(colour[1..3])) + (0.7152 * Channel(colour[3..5])) + (0.0722 * Channel(colour[5..7]));
        const double Ink = 0.0085; // #0f172a, the page's text colour
        return (1.05 / (luminance + 0.05)) > ((luminance + 0.05) / (Ink + 0.05));
    }

    private static StringBuilder Open(string id, string title, string description, int width, int height) =>
        new StringBuilder()
            .Append(Invariant($"<svg data-chart=\"{Text(id)}\" viewBox=\"0 0 {width} {height}\" style=\"min-width: {width}px\" role=\"img\" aria-labelledby=\"{Text(id)}-title {Text(id)}-desc\" xmlns=\"http://www.w3.org/2000/svg\">"))
            .Append(Invariant($"<title id=\"{Text(id)}-title\">{Text(title)}</title><desc id=\"{Text(id)}-desc\">{Text(description)}</desc>"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
