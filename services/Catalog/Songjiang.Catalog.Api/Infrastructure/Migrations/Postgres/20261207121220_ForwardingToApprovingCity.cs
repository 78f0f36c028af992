using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Songjiang.Catalog.Api.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ForwardingToApprovingCity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ApprovingCity",
                table: "matters",
                type: "character varying(6)",
                maxLength: 6,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ApprovingCityMatterCode",
                table: "matters",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ApprovingCity",
                table: "matters");

            migrationBuilder.DropColumn(
                name: "ApprovingCityMatterCode",
                table: "matters");
        }
    }
}
