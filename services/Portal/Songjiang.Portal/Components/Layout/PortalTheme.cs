using MudBlazor;

namespace Songjiang.Portal.Components.Layout;

/// <summary>The portal's colours: government red and dark tones, every pair at least 4.5:1 against its background.</summary>
public static class PortalTheme
{
    /// <summary>The theme.</summary>
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#A4161A",
            Secondary = "#1F3A5F",
            Success = "#1B5E20",
            Warning = "#8A4B00",
            Error = "#B71C1C",
            Info = "#0D47A1",
            TextPrimary = "#1A1A1A",
            TextSecondary = "#4A4A4A",
            AppbarBackground = "#A4161A",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif"] },
        },
    };
}
