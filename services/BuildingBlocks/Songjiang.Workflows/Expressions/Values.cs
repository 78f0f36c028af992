using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Songjiang.Workflows.Expressions;

/// <summary>Type rules of the expression language: no implicit conversions except ISO date strings to dates.</summary>
internal static class Values
{
    public static object? FromJson(JsonNode node) => node switch
    {
        JsonArray array => array.Select(item => item is null ? null : FromJson(item)).ToList(),
        JsonObject => throw new ExpressionException("an object cannot be used as a value; name one of its fields"),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.Number => Number(value),
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => null,
        },
        _ => null,
    };

    // A value parsed from JSON holds a JsonElement, but one a host built in memory (new JsonObject { ["n"] = 80 })
    // holds an int or a double, which GetValue<decimal> refuses; going through the JSON text reads both alike.
    private static decimal Number(JsonValue value)
    {
        if (value.TryGetValue<decimal>(out var number)) return number;
        try
        {
            return value.Deserialize<decimal>();
        }
        catch (JsonException)
        {
            throw new ExpressionException($"the number {value.ToJsonString()} is out of range");
        }
    }

    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        decimal d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        DateOnly d => JsonValue.Create(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        List<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        _ => throw new ExpressionException($"cannot convert {Describe(value)} to JSON"),
    };

    public static string AsKey(object? value) => value switch
    {
        string s => s,
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        _ => throw new ExpressionException($"a correlation key must be text or a number, got {Describe(value)}"),
    };

    public static string AsText(object? value, string field) => value switch
    {
        string s when !string.IsNullOrWhiteSpace(s) => s,
        _ => throw new ExpressionException($"'{field}' must give a non-empty text, got {Describe(value)}"),
    };

    public static bool AsBool(object? value) =>
        value as bool? ?? throw new ExpressionException($"expected true or false, got {Describe(value)}");

    public static decimal AsNumber(object? value) =>
        value as decimal? ?? throw new ExpressionException($"expected a number, got {Describe(value)}");

    public static DateOnly AsDate(object? value) => value switch
    {
        DateOnly date => date,
        string text when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) => d,
        _ => throw new ExpressionException($"expected a date (yyyy-MM-dd), got {Describe(value)}"),
    };

    private static bool TryDate(object? value, out DateOnly date)
    {
        date = value as DateOnly? ?? default;
        return value is DateOnly
            || (value is string text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date));
    }

    public static bool AreEqual(object? left, object? right)
    {
        if (left is DateOnly || right is DateOnly)
            return left is not null && right is not null && AsDate(left) == AsDate(right);
        return Equals(left, right);
    }

    public static int Compare(object? left, object? right) => (left, right) switch
    {
        (decimal a, decimal b) => a.CompareTo(b),
        (string a, string b) => string.CompareOrdinal(a, b),
        (DateOnly or string, DateOnly or string) => AsDate(left).CompareTo(AsDate(right)),
        _ => throw new ExpressionException($"cannot compare {Describe(left)} with {Describe(right)}"),
    };

    /// <summary>Numbers combine as usual; a date plus or minus a number moves by calendar days; date minus date is days.</summary>
    public static object Arithmetic(string op, object? left, object? right)
    {
        if (left is decimal a && right is decimal b)
        {
            return op switch
            {
                "+" => a + b,
                "-" => a - b,
                "*" => a * b,
                _ => b == 0 ? throw new ExpressionException("division by zero") : a / b,
            };
        }

        if (right is decimal days && op is "+" or "-" && TryDate(left, out var date))
            return date.AddDays((int)(op == "+" ? days : -days));
        if (left is DateOnly || right is DateOnly)
        {
            if (op == "-") return (decimal)(AsDate(left).DayNumber - AsDate(right).DayNumber);
        }

        throw new ExpressionException($"cannot apply '{op}' to {Describe(left)} and {Describe(right)}");
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"text '{s}'",
        decimal d => $"number {d.ToString(CultureInfo.InvariantCulture)}",
        DateOnly d => $"date {d:yyyy-MM-dd}",
        bool b => b ? "true" : "false",
        _ => "a list",
    };
}
