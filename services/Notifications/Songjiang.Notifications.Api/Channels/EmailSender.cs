using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Songjiang.Notifications.Api.Application;
using Songjiang.Notifications.Api.Domain;

namespace Songjiang.Notifications.Api.Channels;

/// <summary>E-mail over SMTP with MailKit: UTF-8 plain text, the platform as sender, one connection per message.</summary>
public sealed class EmailSender(IOptions<NotificationsOptions> options) : IChannelSender
{
    /// <inheritdoc />
    public DeliveryChannel Channel => DeliveryChannel.Email;

    /// <inheritdoc />
    public bool IsAvailable => !string.IsNullOrWhiteSpace(options.Value.Smtp.Host);

    /// <inheritdoc />
    public async Task SendAsync(ChannelDelivery delivery, CancellationToken cancellationToken)
    {
        var smtp = options.Value.Smtp;
        if (!IsAvailable)
        {
            throw new InvalidOperationException("No SMTP relay is configured (Notifications:Smtp:Host).");
        }
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(smtp.FromName, smtp.FromAddress));
        message.To.Add(MailboxAddress.Parse(delivery.Address));
        message.Subject = delivery.Subject;
        var text = new TextPart("plain") { Text = delivery.Body + "\n\n" + options.Value.PublicBaseUrl.TrimEnd('/') + "\n（本邮件由系统自动发送，请勿回复。）" };
        text.ContentType.Charset = "utf-8";
        message.Body = text;

        using var client = new SmtpClient();
        var security = Enum.TryParse<SecureSocketOptions>(smtp.Security, ignoreCase: true, out var parsed) ? parsed : SecureSocketOptions.StartTls;
        await client.ConnectAsync(smtp.Host!, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.UserName))
        {
            await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? "", cancellationToken);
        }
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
