using Songjiang.PolicyRadar.Api.Criteria;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>Turns an explanation into the plain-Chinese reasons pushed with a match.</summary>
public static class Reasons
{
    /// <summary>Chinese names of the qualification kinds policies test.</summary>
    public static readonly IReadOnlyDictionary<string, string> QualificationNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["high-tech"] = "高新技术企业",
        ["tech-sme"] = "科技型中小企业",
        ["tech-giant"] = "科技小巨人企业",
        ["specialised-sme"] = "专精特新中小企业",
        ["unicorn"] = "独角兽企业",
        ["gazelle"] = "瞪羚企业",
        ["headquarters"] = "总部型企业",
        ["foreign-invested"] = "外商投资企业",
    };

    private static readonly IReadOnlyDictionary<string, string> ValueNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Large"] = "大型", ["Medium"] = "中型", ["Small"] = "小型", ["Micro"] = "微型",
        ["Establishing"] = "设立", ["Operating"] = "运营", ["Changing"] = "变更", ["Deregistering"] = "注销中", ["Deregistered"] = "已注销",
    };

    /// <summary>One line per met condition: what the policy requires and what the enterprise has.</summary>
    public static IReadOnlyList<string> From(ClauseResult explanation)
    {
        var reasons = new List<string>();
        Collect(explanation, negated: false, reasons);
        return reasons;
    }

    private static void Collect(ClauseResult result, bool negated, List<string> reasons)
    {
        switch (result.Kind)
        {
            case "condition" when result.Met != negated:
                var description = Translate(result.Description);
                reasons.Add(negated
                    ? $"不属于：{description}（企业：{Translate(result.Actual ?? "无")}）"
                    : $"{description}（企业：{Translate(result.Actual ?? "无")}）");
                break;
            case "not":
                Collect(result.Children[0], !negated, reasons);
                break;
            case "all" or "any":
                // Under "any" only the branches that hold are reasons.
                foreach (var child in result.Children.Where(c => c.Met != negated || result.Kind == "all"))
                {
                    Collect(child, negated, reasons);
                }
                break;
        }
    }

    private static string Translate(string text)
    {
        foreach (var (code, name) in QualificationNames)
        {
            text = text.Replace(code, name, StringComparison.Ordinal);
        }
        foreach (var (code, name) in ValueNames)
        {
            text = text.Replace(code, name, StringComparison.Ordinal);
        }
        return text;
    }
}
