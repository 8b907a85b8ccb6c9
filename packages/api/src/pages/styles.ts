/**
 * The stylesheet of the /app pages: system fonts, AA contrast (every colour
 * pair below is at least 4.5:1), one column on a phone, seven on a wide
 * screen. Status is never told by colour alone: every badge has its word.
 */
export const APP_CSS = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1b1b;background:#f6f7f9}
a{color:#1d4ed8}a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.6rem 1rem;background:#111827;color:#fff}
.top a,.top button{color:#fff}.brand{font-weight:700;font-size:1.1rem;text-decoration:none;margin-right:auto}
.top form{margin:0}.top button{background:none;border:1px solid #9ca3af;border-radius:.3rem;padding:.25rem .6rem;font:inherit;cursor:pointer}
main{max-width:84rem;margin:0 auto;padding:1rem}
h1{font-size:1.45rem;line-height:1.25;margin:.25rem 0}h2{font-size:1.15rem;margin:1.25rem 0 .5rem}
.muted{color:#4b5563}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;margin:.75rem 0}
.bar a,.bar span{display:inline-block;padding:.35rem .7rem;border:1px solid #9ca3af;border-radius:.35rem;background:#fff;text-decoration:none}
.bar [aria-current]{background:#1d4ed8;border-color:#1d4ed8;color:#fff;font-weight:600}
.days{list-style:none;margin:0;padding:0;display:grid;gap:.5rem;grid-template-columns:1fr}
.day{background:#fff;border:1px solid #d1d5db;border-radius:.5rem;padding:.5rem;min-width:0}
.day h3{font-size:.95rem;margin:0 0 .4rem;display:flex;flex-wrap:wrap;gap:.3rem;align-items:baseline}
.day.out{background:#f3f4f6}.day.out h3{color:#4b5563}
.day.today{border:3px solid #1d4ed8}
.day.lapse{background:repeating-linear-gradient(135deg,#fff7ed 0 10px,#ffedd5 10px 20px);border-color:#c2410c}
.tag{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .4rem;border-radius:.25rem;line-height:1.5}
.tag.today{background:#1d4ed8;color:#fff}.tag.lapse{background:#9a3412;color:#fff}
.items{list-style:none;margin:0;padding:0;display:grid;gap:.4rem}
.card{border:1px solid #d1d5db;border-left:6px solid #6b7280;border-radius:.4rem;padding:.4rem .5rem;background:#fff;overflow-wrap:anywhere}
.card p{margin:.15rem 0}.card .text{white-space:pre-wrap}
.card .count{font-size:.8rem}.card .over{color:#b91c1c;font-weight:600}
.month .card .text{display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow:hidden}
.gap{border:2px dashed #b91c1c;border-radius:.4rem;padding:.4rem .5rem;background:#fff1f2;color:#7f1d1d}
.gap.past{border-color:#6b7280;background:#f3f4f6;color:#374151}
time.t{font-weight:700;font-variant-numeric:tabular-nums;margin-right:.3rem}
.s-scheduled{border-left-color:#1d4ed8}.b-scheduled{background:#dbeafe;color:#1e3a8a}
.s-pending_approval{border-left-color:#b45309}.b-pending_approval{background:#fef3c7;color:#78350f}
.s-publishing{border-left-color:#6d28d9}.b-publishing{background:#ede9fe;color:#4c1d95}
.s-published{border-left-color:#15803d}.b-published{background:#dcfce7;color:#14532d}
.s-failed{border-left-color:#b91c1c}.b-failed{background:#fee2e2;color:#7f1d1d}
.s-missed{border-left-color:#4b5563}.b-missed{background:#e5e7eb;color:#1f2937}
.s-canceled{border-left-color:#9ca3af}.b-canceled{background:#f3f4f6;color:#374151}
.aff{background:#f3f4f6;color:#1f2937;border:1px solid #9ca3af}
.legend{display:flex;flex-wrap:wrap;gap:.4rem;list-style:none;padding:0;margin:.5rem 0}
.accounts{list-style:none;padding:0;margin:0;display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr))}
.account{background:#fff;border:1px solid #d1d5db;border-radius:.5rem;padding:.75rem}
.account h2{margin:0 0 .25rem;font-size:1.1rem}
dl.facts{display:grid;grid-template-columns:auto 1fr;gap:.2rem .75rem;margin:.5rem 0 0}dl.facts dt{color:#4b5563}dl.facts dd{margin:0;font-weight:600}
.ok{color:#14532d}.warn{color:#9a3412}.bad{color:#7f1d1d}
.panel{background:#fff;border:1px solid #d1d5db;border-radius:.5rem;padding:1rem;max-width:32rem}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input[type=password],input[type=text]{width:100%;font:inherit;padding:.5rem;border:1px solid #6b7280;border-radius:.35rem}
button.primary{margin-top:.75rem;font:inherit;font-weight:600;padding:.5rem 1rem;border:0;border-radius:.35rem;background:#1d4ed8;color:#fff;cursor:pointer}
.done{border-left:4px solid #15803d;background:#f0fdf4;color:#14532d;padding:.5rem .75rem;border-radius:.25rem}
.card details{margin-top:.3rem}.card summary{cursor:pointer;font-weight:600;color:#1d4ed8;min-height:2rem}
.card form{margin:.3rem 0}.card textarea,.card input[type=datetime-local]{width:100%;font:inherit;padding:.4rem;border:1px solid #6b7280;border-radius:.35rem}
.card textarea{min-height:3.5rem}.card label{font-size:.9rem;margin:.3rem 0 .15rem}
.acts{display:flex;flex-wrap:wrap;gap:.4rem;margin-top:.4rem}
.acts button{font:inherit;font-weight:600;padding:.5rem .8rem;border:0;border-radius:.35rem;color:#fff;cursor:pointer;min-height:2.5rem}
.b-approve{background:#15803d}.b-changes{background:#b45309}.b-move{background:#1d4ed8}.b-cancel{background:#b91c1c}
.error{border-left:4px solid #b91c1c;background:#fee2e2;color:#7f1d1d;padding:.5rem .75rem;border-radius:.25rem}
.conv.overdue{border-left-color:#b91c1c}.inbox{max-width:48rem}
.chart{display:block;margin:.5rem 0;max-width:100%;height:auto;background:#fff;border:1px solid #d1d5db;border-radius:.35rem}
table.weeks{border-collapse:collapse;background:#fff;margin:.5rem 0}table.weeks th,table.weeks td{border:1px solid #d1d5db;padding:.2rem .5rem;text-align:right}table.weeks th[scope=row]{text-align:left}
@media (min-width:60rem){
 .days{grid-template-columns:repeat(7,minmax(0,1fr))}
 .day{min-height:7rem}
}
`;
