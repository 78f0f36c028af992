namespace Songjiang.Portal;

/// <summary>The portal's strings (<c>Resources/Strings.resx</c>, zh-CN).</summary>
public sealed class Strings;
