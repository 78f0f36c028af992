using System.Net;
using System.Text.RegularExpressions;
using Songjiang.Portal.Clients;

namespace Songjiang.Portal.Components.Shared;

/// <summary>
/// Puts an API's validation messages in Chinese for the person filling the form: messages already in Chinese pass
/// through; the JSON Schema validator's English sentences are rewritten by their kind.
/// </summary>
public static partial class ErrorText
{
    /// <summary>The messages for a field, in Chinese.</summary>
    public static IReadOnlyList<string> For(ApiProblem? problem, params string[] keys)
    {
        if (problem is null)
        {
            return [];
        }
        return [.. keys.SelectMany(problem.For).Select(m => Chinese(m, problem.Status)).Distinct()];
    }

    /// <summary>One message in Chinese.</summary>
    public static string Chinese(string message, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        if (Cjk().IsMatch(message))
        {
            return message;
        }
        if (status == HttpStatusCode.UnsupportedMediaType)
        {
            return "仅接受 PDF、OFD、PNG 或 JPEG 格式的文件。";
        }
        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            return "文件过大，请压缩后重新上传。";
        }
        if (AtLeastCharacters().Match(message) is { Success: true } minLength)
        {
            return $"至少需要填写 {minLength.Groups[1].Value} 个字符。";
        }
        if (AtMostCharacters().Match(message) is { Success: true } maxLength)
        {
            return $"最多填写 {maxLength.Groups[1].Value} 个字符。";
        }
        if (AtLeastItems().Match(message) is { Success: true } minItems)
        {
            return $"请至少选择 {minItems.Groups[1].Value} 项。";
        }
        if (AtLeastValue().Match(message) is { Success: true } minimum)
        {
            return $"不能小于 {minimum.Groups[1].Value}。";
        }
        if (AtMostValue().Match(message) is { Success: true } maximum)
        {
            return $"不能大于 {maximum.Groups[1].Value}。";
        }
        if (message.Contains("pattern", StringComparison.OrdinalIgnoreCase) || message.Contains("format", StringComparison.OrdinalIgnoreCase))
        {
            return "格式不正确，请核对后重新填写。";
        }
        if (message.Contains("enum", StringComparison.OrdinalIgnoreCase))
        {
            return "请从给定的选项中选择。";
        }
        if (message.Contains("required", StringComparison.OrdinalIgnoreCase) || message.Contains("not present", StringComparison.OrdinalIgnoreCase)
            || message.Contains("missing", StringComparison.OrdinalIgnoreCase))
        {
            return "此项为必填项。";
        }
        if (message.Contains("should be", StringComparison.OrdinalIgnoreCase))
        {
            return "填写的类型不正确。";
        }
        return "填写有误，请核对后重新提交。";
    }

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Cjk();

    [GeneratedRegex(@"at least (\d+) characters")]
    private static partial Regex AtLeastCharacters();

    [GeneratedRegex(@"at most (\d+) characters")]
    private static partial Regex AtMostCharacters();

    [GeneratedRegex(@"at least (\d+) items")]
    private static partial Regex AtLeastItems();

    [GeneratedRegex(@"(?:at least|greater than or equal to) (-?[\d.]+)")]
    private static partial Regex AtLeastValue();

    [GeneratedRegex(@"(?:at most|less than or equal to) (-?[\d.]+)")]
    private static partial Regex AtMostValue();
}
