using Songjiang.PolicyRadar.Api.Criteria;
using System.Globalization;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Benchmarks;

/// <summary>Writes parsed criteria back as the criteria language (to recompile a synthetic policy under a new id).</summary>
internal static class ClauseJson
{
    public static string Write(Clause clause) => clause switch
    {
        AllClause all => $$"""{ "all": [ {{string.Join(", ", all.Items.Select(Write))}} ] }""",
        AnyClause any => $$"""{ "any": [ {{string.Join(", ", any.Items.Select(Write))}} ] }""",
        NotClause not => $$"""{ "not": {{Write(not.Item)}} }""",
        Condition c => $$"""{ "field": "{{c.Field.Name}}", "op": "{{c.Operator}}", "value": {{Value(c)}} }""",
        _ => throw new ArgumentOutOfRangeException(nameof(clause)),
    };

    private static string Value(Condition c)
    {
        if (c.Flag is { } flag)
        {
            return flag ? "true" : "false";
        }
        var values = c.Numbers.Count > 0
            ? c.Numbers.Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList()
            : c.Texts.Select(t => JsonSerializer.Serialize(t)).ToList();
        var many = c.Operator is "in" or "notIn" or "between" or "hasAny" or "startsWith";
        return many ? $"[{string.Join(", ", values)}]" : values[0];
    }
}
