using Songjiang.PolicyRadar.Api.Criteria;
using Songjiang.PolicyRadar.Api.Domain;
using Songjiang.ServiceDefaults.Problems;
using System.Text.Json;

namespace Songjiang.PolicyRadar.Api.Application;

/// <summary>The content of a policy version as an officer writes it (and as the seed files hold it).</summary>
public sealed record PolicyDraft(
    string? Title,
    string? IssuingBody,
    string? Level,
    string? DocumentNumber,
    DateOnly? EffectiveFrom,
    DateOnly? ExpiresOn,
    DateOnly? ApplicationOpens,
    DateOnly? ApplicationCloses,
    string? FullText,
    string? BenefitType,
    decimal? BenefitAmount,
    string? BenefitDescription,
    List<string>? Industries,
    List<string>? EnterpriseKinds,
    List<string>? Topics,
    JsonElement? Criteria,
    bool? ExemptFromApplication,
    string? ChangeNote)
{
    /// <summary>Kinds of benefit.</summary>
    public static readonly IReadOnlySet<string> BenefitTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "subsidy", "reward", "voucher", "loan-interest", "tax-relief", "financing", "talent", "service",
    };

    private const int MaxTags = 20;

    /// <summary>Checks every field and writes the content into a version; throws naming every invalid field.</summary>
    public void ApplyTo(PolicyVersion version)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Error(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field, []), message];
        string Text(string field, string label, string? value, int max)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Error(field, $"请填写{label}。");
                return "";
            }
            if (value.Trim().Length > max)
            {
                Error(field, $"{label}不超过 {max} 个字。");
            }
            return value.Trim();
        }
        List<string> Tags(string field, string label, List<string>? values)
        {
            var tags = (values ?? []).Select(v => v?.Trim() ?? "").ToList();
            if (tags.Count > MaxTags)
            {
                Error(field, $"{label}最多 {MaxTags} 个。");
            }
            if (tags.Any(t => t.Length is 0 or > 30))
            {
                Error(field, $"{label}每个 1 到 30 个字。");
            }
            return [.. tags.Distinct(StringComparer.Ordinal)];
        }

        var title = Text("title", "政策标题", Title, 200);
        var issuingBody = Text("issuingBody", "发文机关", IssuingBody, 100);
        var documentNumber = Text("documentNumber", "文号", DocumentNumber, 60);
        var fullText = Text("fullText", "政策全文", FullText, 100_000);
        var benefitType = Text("benefitType", "扶持方式", BenefitType, 30);
        if (benefitType.Length > 0 && !BenefitTypes.Contains(benefitType))
        {
            Error("benefitType", $"扶持方式须为 {string.Join("、", BenefitTypes)} 之一。");
        }
        PolicyLevel level = default;
        if (string.IsNullOrWhiteSpace(Level) || !Enum.TryParse(Level.Trim(), ignoreCase: false, out level) || !Enum.IsDefined(level))
        {
            Error("level", $"政策层级须为 {string.Join("、", Enum.GetNames<PolicyLevel>())} 之一。");
        }
        if (EffectiveFrom is null)
        {
            Error("effectiveFrom", "请填写生效日期。");
        }
        if (ExpiresOn is { } expires && EffectiveFrom is { } from && expires < from)
        {
            Error("expiresOn", "失效日期不能早于生效日期。");
        }
        if (ApplicationOpens is { } opens && ApplicationCloses is { } closes && closes < opens)
        {
            Error("applicationCloses", "申报截止日期不能早于申报开始日期。");
        }
        if (BenefitAmount is < 0)
        {
            Error("benefitAmount", "扶持金额不能为负数。");
        }
        if (BenefitDescription is { Length: > 1000 })
        {
            Error("benefitDescription", "扶持内容说明不超过 1000 个字。");
        }
        if (ChangeNote is { Length: > 500 })
        {
            Error("changeNote", "修订说明不超过 500 个字。");
        }
        var industries = Tags("industries", "行业标签", Industries);
        var kinds = Tags("enterpriseKinds", "企业类型标签", EnterpriseKinds);
        var topics = Tags("topics", "主题标签", Topics);
        string criteria = "";
        if (Criteria is not { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } document)
        {
            Error("criteria", "请填写资格条件（用条件语言写成的 JSON 文档）。");
        }
        else
        {
            var (parsed, problems) = CriteriaParser.Parse(document);
            foreach (var (path, messages) in problems)
            {
                foreach (var message in messages)
                {
                    Error("criteria" + path.TrimStart('$'), message);
                }
            }
            criteria = parsed is null ? "" : document.GetRawText();
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        version.Title = title;
        version.IssuingBody = issuingBody;
        version.Level = level;
        version.DocumentNumber = documentNumber;
        version.EffectiveFrom = EffectiveFrom!.Value;
        version.ExpiresOn = ExpiresOn;
        version.ApplicationOpens = ApplicationOpens;
        version.ApplicationCloses = ApplicationCloses;
        version.FullText = fullText;
        version.BenefitType = benefitType;
        version.BenefitAmount = BenefitAmount;
        version.BenefitDescription = BenefitDescription?.Trim();
        version.Industries = industries;
        version.EnterpriseKinds = kinds;
        version.Topics = topics;
        version.Criteria = criteria;
        version.ExemptFromApplication = ExemptFromApplication ?? false;
        version.ChangeNote = ChangeNote?.Trim();
    }
}
