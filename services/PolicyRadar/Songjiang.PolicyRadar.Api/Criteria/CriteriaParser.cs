using System.Text.Json;

namespace Songjiang.PolicyRadar.Api.Criteria;

/// <summary>A clause of a criteria document, addressed by its JSON path (e.g. <c>$.all[2]</c>).</summary>
public abstract record Clause(string Path)
{
    /// <summary>The clauses that must all hold for this one to hold: nested <c>all</c>s flattened, or the clause itself.</summary>
    public IEnumerable<Clause> Conjuncts() => this is AllClause all ? all.Items.SelectMany(item => item.Conjuncts()) : [this];
}

/// <summary>Every item holds.</summary>
public sealed record AllClause(string Path, IReadOnlyList<Clause> Items) : Clause(Path);

/// <summary>At least one item holds.</summary>
public sealed record AnyClause(string Path, IReadOnlyList<Clause> Items) : Clause(Path);

/// <summary>The item does not hold.</summary>
public sealed record NotClause(string Path, Clause Item) : Clause(Path);

/// <summary>A test of one field: numbers, texts or a flag, as the field's kind requires.</summary>
public sealed record Condition(string Path, CriteriaField Field, string Operator, IReadOnlyList<decimal> Numbers, IReadOnlyList<string> Texts, bool? Flag)
    : Clause(Path);

/// <summary>
/// Reads a criteria document (JSON data: <c>all</c>, <c>any</c>, <c>not</c> and <c>{field, op, value}</c>) and names
/// every problem by its clause path. Nothing in it is ever evaluated as code.
/// </summary>
public static class CriteriaParser
{

    private const int MaxDepth = 8;
    private const int MaxClauses = 200;

    /// <summary>Parses a document, or returns the problems by clause path.</summary>
    public static (Clause? Criteria, IReadOnlyDictionary<string, string[]> Errors) Parse(JsonElement document)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var count = 0;
        var clause = Read(document, "$", 0, errors, ref count);
        return (errors.Count == 0 ? clause : null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    private static Clause? Read(JsonElement node, string path, int depth, Dictionary<string, List<string>> errors, ref int count)
    {
        if (++count > MaxClauses)
        {
            Add(errors, path, $"资格条件最多 {MaxClauses} 个子句。");
            return null;
        }
        if (depth > MaxDepth)
        {
            Add(errors, path, $"资格条件最多嵌套 {MaxDepth} 层。");
            return null;
        }
        if (node.ValueKind != JsonValueKind.Object)
        {
            Add(errors, path, "每个子句须为 JSON 对象：{\"all\": […]}、{\"any\": […]}、{\"not\": {…}} 或 {\"field\", \"op\", \"value\"}。");
            return null;
        }
        if (node.TryGetProperty("all", out var all))
        {
            return ReadList(all, path + ".all", depth, errors, ref count) is { } items ? new AllClause(path, items) : null;
        }
        if (node.TryGetProperty("any", out var any))
        {
            return ReadList(any, path + ".any", depth, errors, ref count) is { } items ? new AnyClause(path, items) : null;
        }
        if (node.TryGetProperty("not", out var not))
        {
            return Read(not, path + ".not", depth + 1, errors, ref count) is { } inner ? new NotClause(path, inner) : null;
        }
        return ReadCondition(node, path, errors);
    }

    private static List<Clause>? ReadList(JsonElement list, string path, int depth, Dictionary<string, List<string>> errors, ref int count)
    {
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            Add(errors, path, $"{path[(path.LastIndexOf('.') + 1)..]} 须为至少包含一个子句的数组。");
            return null;
        }
        var items = new List<Clause>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (Read(item, $"{path}[{index++}]", depth + 1, errors, ref count) is { } clause)
            {
                items.Add(clause);
            }
        }
        return items.Count == list.GetArrayLength() ? items : null;
    }

    private static Condition? ReadCondition(JsonElement node, string path, Dictionary<string, List<string>> errors)
    {
        var name = node.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString()! : null;
        var op = node.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : null;
        if (name is null || !CriteriaFields.All.TryGetValue(name, out var field))
        {
            var known = string.Join("、", CriteriaFields.All.Values.Select(k => $"{k.Name}（{k.Label}）"));
            Add(errors, path, name is null ? $"请用 field 指明条件字段；可选：{known}。" : $"没有“{name}”这一条件字段；可选：{known}。");
            return null;
        }
        var operators = CriteriaFields.Operators[field.Kind];
        if (op is null || !operators.Contains(op))
        {
            Add(errors, path, op is null
                ? $"请用 op 指明{field.Label}的运算符；可选：{string.Join("、", operators)}。"
                : $"{field.Label}不能使用运算符“{op}”；可选：{string.Join("、", operators)}。");
            return null;
        }
        if (!node.TryGetProperty("value", out var value))
        {
            Add(errors, path, "请用 value 填写条件的取值。");
            return null;
        }

        var many = op is "in" or "notIn" or "between" or "hasAny" or "startsWith";
        var values = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value];
        if ((!many && values.Count != 1) || values.Count == 0 || (op == "between" && values.Count != 2))
        {
            Add(errors, path, op == "between" ? "between 的取值须为 [最小值, 最大值]。" : $"运算符 {op} 须给出{(many ? "一个或多个取值" : "一个取值")}。");
            return null;
        }

        switch (field.Kind)
        {
            case FieldKind.Number when values.All(v => v.ValueKind == JsonValueKind.Number):
                // 1e30 overflows decimal and 1e400 even double: a bound no figure can reach is the author's mistake.
                if (values.Any(v => !v.TryGetDecimal(out _)))
                {
                    Add(errors, path, $"{name} 的数值超出了可以表示的范围（绝对值须小于 7.9×10²⁸）。");
                    return null;
                }
                var numbers = values.Select(v => v.GetDecimal()).ToList();
                if (op == "between" && numbers[0] > numbers[1])
                {
                    Add(errors, path, "between 须先写最小值，后写最大值。");
                    return null;
                }
                return new Condition(path, field, op, numbers, [], null);
            case FieldKind.Boolean when values[0].ValueKind is JsonValueKind.True or JsonValueKind.False:
                return new Condition(path, field, op, [], [], values[0].GetBoolean());
            case FieldKind.Text or FieldKind.Qualification when values.All(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0):
                var texts = values.Select(v => v.GetString()!).ToList();
                var unknown = field.AllowedValues is null ? [] : texts.Where(t => !field.AllowedValues.Contains(t)).ToList();
                if (unknown.Count > 0)
                {
                    Add(errors, path, $"{field.Label}不能取 {string.Join("、", unknown)}；可选：{string.Join("、", field.AllowedValues!)}。");
                    return null;
                }
                return new Condition(path, field, op, [], texts, null);
            default:
                Add(errors, path, $"{field.Label}（{name}）的取值须为{KindName(field.Kind)}。");
                return null;
        }
    }

    private static string KindName(FieldKind kind) => kind switch
    {
        FieldKind.Number => "数值",
        FieldKind.Boolean => " true 或 false",
        FieldKind.Qualification => "资质代码（非空文本）",
        _ => "非空文本",
    };

    private static void Add(Dictionary<string, List<string>> errors, string path, string message)
    {
        if (!errors.TryGetValue(path, out var list))
        {
            errors[path] = list = [];
        }
        list.Add(message);
    }
}
