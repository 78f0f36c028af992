using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Licenses.Api.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RatingsTaskJournalAndIdentifiers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NationalTypeCode",
                table: "LicenceTypes",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NationalIdentifier",
                table: "Licences",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Licences_NationalIdentifier",
                table: "Licences",
                column: "NationalIdentifier",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Licences_NationalIdentifier",
                table: "Licences");

            migrationBuilder.DropColumn(
                name: "NationalTypeCode",
                table: "LicenceTypes");

            migrationBuilder.DropColumn(
                name: "NationalIdentifier",
                table: "Licences");
        }
    }
}
