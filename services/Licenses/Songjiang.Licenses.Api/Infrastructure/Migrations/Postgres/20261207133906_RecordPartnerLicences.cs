using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Licenses.Api.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RecordPartnerLicences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "partner_licences",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TypeCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    HolderName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    HolderUscc = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    IssuerCode = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    IssuerName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CityCode = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    CityName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    KeyId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    NationalIdentifier = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    ValidFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    ValidUntil = table.Column<DateOnly>(type: "date", nullable: true),
                    Document = table.Column<string>(type: "text", nullable: false),
                    ApplicationNumber = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_licences", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_partner_licences_HolderUscc",
                table: "partner_licences",
                column: "HolderUscc");

            migrationBuilder.CreateIndex(
                name: "IX_partner_licences_Number",
                table: "partner_licences",
                column: "Number",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "partner_licences");
        }
    }
}
