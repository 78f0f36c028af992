namespace Songjiang.PolicyRadar.Api.Criteria;

/// <summary>The kinds of value a field holds, which decide the operators it accepts.</summary>
public enum FieldKind
{
    /// <summary>A number: eq, ne, gt, gte, lt, lte, between.</summary>
    Number,

    /// <summary>A code or word: eq, ne, in, notIn, startsWith.</summary>
    Text,

    /// <summary>True or false: eq.</summary>
    Boolean,

    /// <summary>Qualifications held and valid on the evaluation date: has, hasAny.</summary>
    Qualification,
}

/// <summary>A field criteria may test, how to read it and which values are allowed.</summary>
/// <param name="Name">The field name in criteria documents.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Label">How explanations name it.</param>
/// <param name="AllowedValues">For text fields with a closed vocabulary, the allowed values.</param>
public sealed record CriteriaField(string Name, FieldKind Kind, string Label, IReadOnlySet<string>? AllowedValues = null);

/// <summary>The fields of the criteria language (数据, never code).</summary>
public static class CriteriaFields
{
    /// <summary>Every field by name.</summary>
    public static readonly IReadOnlyDictionary<string, CriteriaField> All = new[]
    {
        new CriteriaField("industryCode", FieldKind.Text, "行业代码"),
        new CriteriaField("location", FieldKind.Text, "所在街镇或城市"),
        new CriteriaField("yearsSinceFounding", FieldKind.Number, "成立年限（年）"),
        new CriteriaField("employees", FieldKind.Number, "从业人数"),
        new CriteriaField("annualRevenue", FieldKind.Number, "年营业收入（万元）"),
        new CriteriaField("rdSpending", FieldKind.Number, "研发费用（万元）"),
        new CriteriaField("rdRatio", FieldKind.Number, "研发费用占营业收入比例"),
        new CriteriaField("sizeClass", FieldKind.Text, "企业规模", new HashSet<string> { "Large", "Medium", "Small", "Micro" }),
        new CriteriaField("isListed", FieldKind.Boolean, "是否上市"),
        new CriteriaField("stage", FieldKind.Text, "生命周期阶段",
            new HashSet<string> { "Establishing", "Operating", "Changing", "Deregistering", "Deregistered" }),
        new CriteriaField("creditRating", FieldKind.Text, "信用等级", new HashSet<string> { "A", "B", "C", "D" }),
        new CriteriaField("qualification", FieldKind.Qualification, "有效资质"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>Operators by field kind.</summary>
    public static readonly IReadOnlyDictionary<FieldKind, IReadOnlySet<string>> Operators = new Dictionary<FieldKind, IReadOnlySet<string>>
    {
        [FieldKind.Number] = new HashSet<string> { "eq", "ne", "gt", "gte", "lt", "lte", "between" },
        [FieldKind.Text] = new HashSet<string> { "eq", "ne", "in", "notIn", "startsWith" },
        [FieldKind.Boolean] = new HashSet<string> { "eq" },
        [FieldKind.Qualification] = new HashSet<string> { "has", "hasAny" },
    };
}
