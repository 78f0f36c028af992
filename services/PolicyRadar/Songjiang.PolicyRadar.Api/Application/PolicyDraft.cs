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
        string Text(string field, string? value, int max)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Error(field, "is required.");
                return "";
            }
            if (value.Trim().Length > max)
            {
                Error(field, $"may have at most {max} characters.");
            }
            return value.Trim();
        }
        List<string> Tags(string field, List<string>? values)
        {
            var tags = (values ?? []).Select(v => v?.Trim() ?? "").ToList();
            if (tags.Count > MaxTags)
            {
                Error(field, $"may have at most {MaxTags} tags.");
            }
            if (tags.Any(t => t.Length is 0 or > 30))
            {
                Error(field, "each tag is 1 to 30 characters.");
            }
            return [.. tags.Distinct(StringComparer.Ordinal)];
        }

        var title = Text("title", Title, 200);
        var issuingBody = Text("issuingBody", IssuingBody, 100);
        var documentNumber = Text("documentNumber", DocumentNumber, 60);
        var fullText = Text("fullText", FullText, 100_000);
        var benefitType = Text("benefitType", BenefitType, 30);
        if (benefitType.Length > 0 && !BenefitTypes.Contains(benefitType))
        {
            Error("benefitType", $"must be one of {string.Join(", ", BenefitTypes)}.");
        }
        PolicyLevel level = default;
        if (string.IsNullOrWhiteSpace(Level) || !Enum.TryParse(Level.Trim(), ignoreCase: false, out level) || !Enum.IsDefined(level))
        {
            Error("level", $"must be one of {string.Join(", ", Enum.GetNames<PolicyLevel>())}.");
        }
        if (EffectiveFrom is null)
        {
            Error("effectiveFrom", "is required.");
        }
        if (ExpiresOn is { } expires && EffectiveFrom is { } from && expires < from)
        {
            Error("expiresOn", "must not be before effectiveFrom.");
        }
        if (ApplicationOpens is { } opens && ApplicationCloses is { } closes && closes < opens)
        {
            Error("applicationCloses", "must not be before applicationOpens.");
        }
        if (BenefitAmount is < 0)
        {
            Error("benefitAmount", "must not be negative.");
        }
        if (BenefitDescription is { Length: > 1000 })
        {
            Error("benefitDescription", "may have at most 1000 characters.");
        }
        if (ChangeNote is { Length: > 500 })
        {
            Error("changeNote", "may have at most 500 characters.");
        }
        var industries = Tags("industries", Industries);
        var kinds = Tags("enterpriseKinds", EnterpriseKinds);
        var topics = Tags("topics", Topics);
        string criteria = "";
        if (Criteria is not { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } document)
        {
            Error("criteria", "is required: eligibility criteria in the criteria language.");
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
