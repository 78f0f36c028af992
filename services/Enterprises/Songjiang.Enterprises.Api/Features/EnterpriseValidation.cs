using Songjiang.Enterprises.Api.Domain;
using Songjiang.ServiceDefaults.Problems;
using Songjiang.SharedKernel;
using System.Text.RegularExpressions;

namespace Songjiang.Enterprises.Api.Features;

/// <summary>Checks profile input and collects every problem, each named by its field, before anything is written.</summary>
public sealed partial class EnterpriseValidation
{
    /// <summary>Qualification kinds the platform knows.</summary>
    public static readonly IReadOnlySet<string> QualificationKinds = new HashSet<string>(StringComparer.Ordinal)
    {
        "high-tech",            // 高新技术企业
        "tech-sme",             // 科技型中小企业
        "tech-giant",           // 科技小巨人
        "specialised-sme",      // 专精特新
        "unicorn",              // 独角兽
        "gazelle",              // 瞪羚
        "headquarters",         // 总部型企业
        "foreign-invested",     // 外资企业
    };

    /// <summary>A qualification kind as people read it.</summary>
    public static string QualificationName(string kind) => kind switch
    {
        "high-tech" => "高新技术企业",
        "tech-sme" => "科技型中小企业",
        "tech-giant" => "科技小巨人",
        "specialised-sme" => "专精特新企业",
        "unicorn" => "独角兽企业",
        "gazelle" => "瞪羚企业",
        "headquarters" => "总部型企业",
        "foreign-invested" => "外资企业",
        _ => kind,
    };

    private readonly Dictionary<string, string[]> _errors = [];

    /// <summary>Throws a 400 problem listing every invalid field, if any.</summary>
    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
        {
            throw new ValidationFailedException(_errors);
        }
    }

    /// <summary>A unified social credit code per GB 32100, normalised to upper case.</summary>
    public string? Uscc(string? value)
    {
        if (!UnifiedSocialCreditCode.TryParse(value, out var code, out var error))
        {
            Add("uscc", error);
            return null;
        }
        return code.Value.Value;
    }

    /// <summary>Required text with a maximum length.</summary>
    public string? Text(string field, string? value, int maxLength, bool required = true)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            if (required)
            {
                Add(field, "必填。");
            }
            return null;
        }
        if (trimmed.Length > maxLength)
        {
            Add(field, $"至多 {maxLength} 个字。");
        }
        return trimmed;
    }

    /// <summary>A Songjiang subdistrict or town code, or a G60 partner city's division code.</summary>
    public void Location(string? value)
    {
        if (value is not null && !Locations.IsKnown(value))
        {
            Add("location", $"“{value}”既不是松江区的街道或镇（{string.Join("、", Locations.SongjiangUnits.Select(u => $"{u.Value} {u.Key}"))}），也不是 G60 合作城市的行政区划代码。");
        }
    }

    /// <summary>A GB/T 4754-2017 code: section letter A–T, then 0, 2, 3 or 4 digits.</summary>
    public void IndustryCode(string? value)
    {
        if (value is not null && !IndustryCodePattern().IsMatch(value))
        {
            Add("industryCode", $"“{value}”不是 GB/T 4754-2017 国民经济行业代码（门类字母 A–T，后接 2、3 或 4 位数字，例如 I6513）。");
        }
    }

    /// <summary>A non-negative amount.</summary>
    public void NotNegative(string field, decimal? value)
    {
        if (value < 0)
        {
            Add(field, "不能为负数。");
        }
    }

    /// <summary>A headcount.</summary>
    public void Employees(int? value)
    {
        if (value is < 0 or > 10_000_000)
        {
            Add("employees", "从业人数须在 0 至 10,000,000 之间。");
        }
    }

    /// <summary>A founding date not in the future.</summary>
    public void FoundedOn(DateOnly? value, DateOnly today)
    {
        if (value > today)
        {
            Add("foundedOn", "成立日期不能晚于今天。");
        }
        if (value < new DateOnly(1949, 10, 1))
        {
            Add("foundedOn", "成立日期须在 1949年10月1日 之后。");
        }
    }

    /// <summary>An e-mail address of plausible shape.</summary>
    public void Email(string? value)
    {
        if (value is not null && (value.Length > 200 || !EmailPattern().IsMatch(value)))
        {
            Add("contactEmail", "不是有效的电子邮箱地址。");
        }
    }

    /// <summary>A telephone number of digits, spaces, + and -.</summary>
    public void Phone(string? value)
    {
        if (value is not null && (value.Length > 30 || !PhonePattern().IsMatch(value)))
        {
            Add("contactPhone", "联系电话只能包含数字、空格、“+”和“-”，至多 30 个字符。");
        }
    }

    /// <summary>Records a problem with a field.</summary>
    public void Add(string field, string error) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, error] : [error];

    [GeneratedRegex("^[A-T]([0-9]{2}|[0-9]{3}|[0-9]{4})?$")]
    private static partial Regex IndustryCodePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{4,28}$")]
    private static partial Regex PhonePattern();
}
