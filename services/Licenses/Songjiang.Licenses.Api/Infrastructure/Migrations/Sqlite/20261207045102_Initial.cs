using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Licenses.Api.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Authorities",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    DivisionCode = table.Column<string>(type: "TEXT", nullable: false),
                    Department = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Authorities", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "eventbus_inbox",
                columns: table => new
                {
                    event_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    consumer = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    processed_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_eventbus_inbox", x => new { x.event_id, x.source, x.consumer });
                });

            migrationBuilder.CreateTable(
                name: "eventbus_outbox",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    topic = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    envelope = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    sent_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    locked_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    lock_owner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_eventbus_outbox", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "holder_profiles",
                columns: table => new
                {
                    Uscc = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LegalRepresentative = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RegisteredAddress = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    RegisteredOnApplication = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_holder_profiles", x => x.Uscc);
                });

            migrationBuilder.CreateTable(
                name: "Licences",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<string>(type: "TEXT", nullable: false),
                    TypeCode = table.Column<string>(type: "TEXT", nullable: false),
                    HolderName = table.Column<string>(type: "TEXT", nullable: false),
                    HolderUscc = table.Column<string>(type: "TEXT", nullable: false),
                    AuthorityCode = table.Column<string>(type: "TEXT", nullable: false),
                    IssueDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ValidFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ApplicationId = table.Column<string>(type: "TEXT", nullable: true),
                    StatusListIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    StatusReason = table.Column<string>(type: "TEXT", nullable: true),
                    StatusChangedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    Payload = table.Column<string>(type: "TEXT", nullable: false),
                    Signature = table.Column<byte[]>(type: "BLOB", nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", nullable: false),
                    IssuedBy = table.Column<string>(type: "TEXT", nullable: false),
                    IssuedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Licences", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LicenceTypes",
                columns: table => new
                {
                    Code = table.Column<string>(type: "TEXT", nullable: false),
                    NumberPrefix = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    EnglishName = table.Column<string>(type: "TEXT", nullable: false),
                    AuthorityCode = table.Column<string>(type: "TEXT", nullable: false),
                    ValidityYears = table.Column<int>(type: "INTEGER", nullable: true),
                    Fields = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LicenceTypes", x => x.Code);
                });

            migrationBuilder.CreateTable(
                name: "pending_issues",
                columns: table => new
                {
                    ApplicationNumber = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    HolderUscc = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    Approval = table.Column<string>(type: "TEXT", nullable: false),
                    ParkedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Problem = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pending_issues", x => x.ApplicationNumber);
                });

            migrationBuilder.CreateTable(
                name: "register_sync",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Cursor = table.Column<string>(type: "TEXT", maxLength: 18, nullable: true),
                    Completed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_register_sync", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SealKeys",
                columns: table => new
                {
                    KeyId = table.Column<string>(type: "TEXT", nullable: false),
                    AuthorityCode = table.Column<string>(type: "TEXT", nullable: false),
                    PublicKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ProtectedPrivateKey = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    RetiredAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SealKeys", x => x.KeyId);
                });

            migrationBuilder.CreateTable(
                name: "StatusChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    LicenceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    From = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    To = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StatusChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TrustedKeys",
                columns: table => new
                {
                    KeyId = table.Column<string>(type: "TEXT", nullable: false),
                    IssuerCode = table.Column<string>(type: "TEXT", nullable: false),
                    IssuerName = table.Column<string>(type: "TEXT", nullable: false),
                    CityCode = table.Column<string>(type: "TEXT", nullable: false),
                    PublicKey = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ValidFrom = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ValidUntil = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    UpdatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrustedKeys", x => x.KeyId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Authorities_Department",
                table: "Authorities",
                column: "Department");

            migrationBuilder.CreateIndex(
                name: "ix_eventbus_outbox_lock_owner",
                table: "eventbus_outbox",
                column: "lock_owner");

            migrationBuilder.CreateIndex(
                name: "ix_eventbus_outbox_pending",
                table: "eventbus_outbox",
                columns: new[] { "sent_at", "created_at" });

            migrationBuilder.CreateIndex(
                name: "IX_holder_profiles_RegisteredOnApplication",
                table: "holder_profiles",
                column: "RegisteredOnApplication");

            migrationBuilder.CreateIndex(
                name: "IX_Licences_ApplicationId",
                table: "Licences",
                column: "ApplicationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Licences_AuthorityCode_IssueDate",
                table: "Licences",
                columns: new[] { "AuthorityCode", "IssueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Licences_HolderUscc_IssueDate",
                table: "Licences",
                columns: new[] { "HolderUscc", "IssueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Licences_Number",
                table: "Licences",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Licences_StatusListIndex",
                table: "Licences",
                column: "StatusListIndex",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_pending_issues_HolderUscc",
                table: "pending_issues",
                column: "HolderUscc");

            migrationBuilder.CreateIndex(
                name: "IX_SealKeys_AuthorityCode",
                table: "SealKeys",
                column: "AuthorityCode");

            migrationBuilder.CreateIndex(
                name: "IX_StatusChanges_LicenceId",
                table: "StatusChanges",
                column: "LicenceId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Authorities");

            migrationBuilder.DropTable(
                name: "eventbus_inbox");

            migrationBuilder.DropTable(
                name: "eventbus_outbox");

            migrationBuilder.DropTable(
                name: "holder_profiles");

            migrationBuilder.DropTable(
                name: "Licences");

            migrationBuilder.DropTable(
                name: "LicenceTypes");

            migrationBuilder.DropTable(
                name: "pending_issues");

            migrationBuilder.DropTable(
                name: "register_sync");

            migrationBuilder.DropTable(
                name: "SealKeys");

            migrationBuilder.DropTable(
                name: "StatusChanges");

            migrationBuilder.DropTable(
                name: "TrustedKeys");
        }
    }
}
