using System.Globalization;
using System.Text;

namespace Songjiang.Licenses.Api.Canonical;

/// <summary>
/// ECMAScript's Number::toString for a double (ECMA-262 §6.1.6.1.20), the number form RFC 8785 prescribes:
/// the shortest digits that round-trip, plain notation for exponents 1e-7 &lt; |x| &lt; 1e21, otherwise
/// <c>d.ddde±n</c>.
/// </summary>
public static class EcmaScriptNumber
{
    /// <summary>Formats a finite double; NaN and infinities have no JSON form.</summary>
    public static string ToString(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "NaN and infinities have no JSON representation.");
        }
        if (value == 0)
        {
            return "0"; // -0 too
        }

        // Since .NET Core 3.0, "R" gives the shortest digits that round-trip, nearest the exact value (as ECMA-262
        // requires); take them apart into digits and exponent.
        var (digits, exponent) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        var k = digits.Length;
        var n = exponent; // value = 0.d1d2…dk × 10^n
        var text = new StringBuilder(32);
        if (value < 0)
        {
            text.Append('-');
        }
        if (k <= n && n <= 21)
        {
            text.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            text.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            text.Append(digits[0]);
            if (k > 1)
            {
                text.Append('.').Append(digits, 1, k - 1);
            }
            var e = n - 1;
            text.Append('e').Append(e < 0 ? '-' : '+').Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }

    // "123.45" → ("12345", 3); "1.5E-07" → ("15", -6); "1E+21" → ("1", 22).
    private static (string Digits, int Exponent) Decompose(string roundTrip)
    {
        var mantissa = roundTrip;
        var scale = 0;
        var e = roundTrip.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = roundTrip[..e];
            scale = int.Parse(roundTrip[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerPart = point < 0 ? mantissa : mantissa[..point];
        var fraction = point < 0 ? "" : mantissa[(point + 1)..];
        var all = integerPart + fraction;
        var exponent = integerPart.Length + scale;
        var leading = 0;
        while (leading < all.Length - 1 && all[leading] == '0')
        {
            leading++;
        }
        all = all[leading..];
        exponent -= leading;
        return (all.TrimEnd('0'), exponent);
    }
}
