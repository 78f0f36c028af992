namespace Songjiang.PolicyRadar.Api.Criteria;

/// <summary>
/// Compiles criteria into plain boolean delegates with no explanation, for matching at scale. Every test mirrors the
/// explained evaluation in <see cref="CompiledCriteria"/> (same readers, same rounding), so both give one answer.
/// </summary>
internal static class FastPredicates
{
    public static Func<EnterpriseFacts, DateOnly, bool> Compile(Clause clause)
    {
        switch (clause)
        {
            case AllClause all:
            {
                var items = all.Items.Select(Compile).ToArray();
                return (f, on) =>
                {
                    foreach (var item in items)
                    {
                        if (!item(f, on))
                        {
                            return false;
                        }
                    }
                    return true;
                };
            }
            case AnyClause any:
            {
                var items = any.Items.Select(Compile).ToArray();
                return (f, on) =>
                {
                    foreach (var item in items)
                    {
                        if (item(f, on))
                        {
                            return true;
                        }
                    }
                    return false;
                };
            }
            case NotClause not:
            {
                var inner = Compile(not.Item);
                return (f, on) => !inner(f, on);
            }
            case Condition condition:
                return condition.Field.Kind switch
                {
                    FieldKind.Number => Number(condition),
                    FieldKind.Text => Text(condition),
                    FieldKind.Boolean => Flag(condition),
                    FieldKind.Qualification => Qualification(condition),
                    _ => throw new ArgumentOutOfRangeException(nameof(clause)),
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(clause));
        }
    }

    private static Func<EnterpriseFacts, DateOnly, bool> Number(Condition c)
    {
        Func<EnterpriseFacts, DateOnly, decimal> read = c.Field.Name switch
        {
            "yearsSinceFounding" => (f, on) => f.YearsSinceFounding(on),
            "employees" => (f, _) => f.Employees,
            "annualRevenue" => (f, _) => f.AnnualRevenue,
            "rdSpending" => (f, _) => f.RdSpending,
            "rdRatio" => (f, _) => Math.Round(f.RdRatio, 4),
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Field.Name, "not a number field"),
        };
        var n0 = c.Numbers[0];
        var n1 = c.Numbers.Count > 1 ? c.Numbers[1] : 0;
        return c.Operator switch
        {
            "eq" => (f, on) => read(f, on) == n0,
            "ne" => (f, on) => read(f, on) != n0,
            "gt" => (f, on) => read(f, on) > n0,
            "gte" => (f, on) => read(f, on) >= n0,
            "lt" => (f, on) => read(f, on) < n0,
            "lte" => (f, on) => read(f, on) <= n0,
            "between" => (f, on) => read(f, on) is var d && d >= n0 && d <= n1,
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Operator, "unknown operator"),
        };
    }

    private static Func<EnterpriseFacts, DateOnly, bool> Text(Condition c)
    {
        Func<EnterpriseFacts, string> read = c.Field.Name switch
        {
            "industryCode" => f => f.IndustryCode,
            "location" => f => f.Location,
            "sizeClass" => f => f.SizeClass,
            "stage" => f => f.Stage,
            "creditRating" => f => f.CreditRating,
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Field.Name, "not a text field"),
        };
        var texts = c.Texts.ToArray();
        var set = new HashSet<string>(texts, StringComparer.Ordinal);
        var first = texts[0];
        return c.Operator switch
        {
            "eq" => (f, _) => read(f) == first,
            "ne" => (f, _) => read(f) != first,
            "in" => (f, _) => set.Contains(read(f)),
            "notIn" => (f, _) => !set.Contains(read(f)),
            "startsWith" => (f, _) =>
            {
                var value = read(f);
                foreach (var prefix in texts)
                {
                    if (value.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
                return false;
            },
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Operator, "unknown operator"),
        };
    }

    private static Func<EnterpriseFacts, DateOnly, bool> Flag(Condition c)
    {
        var flag = c.Flag ?? throw new ArgumentOutOfRangeException(nameof(c));
        return c.Field.Name == "isListed"
            ? (f, _) => f.IsListed == flag
            : throw new ArgumentOutOfRangeException(nameof(c), c.Field.Name, "not a flag field");
    }

    private static Func<EnterpriseFacts, DateOnly, bool> Qualification(Condition c)
    {
        var kinds = c.Texts.ToArray();
        return (f, on) =>
        {
            foreach (var held in f.Qualifications)
            {
                if (held.IsValidOn(on) && Array.IndexOf(kinds, held.Kind) >= 0)
                {
                    return true;
                }
            }
            return false;
        };
    }
}
