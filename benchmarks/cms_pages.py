"""Government pages as their CMSes publish them, for the formats benchmark and the reader tests.

Every template is invented from what those platforms print (no real page is copied): a TRS/WCM
article page, a provincial 集约化平台 page with ArticleTitle/PubDate meta tags, a 政府信息公开
page opening with its 索引号/发文机关/成文日期 table, an old ``<table>`` layout in GBK with
``<br>``-separated, ``&nbsp;``-indented paragraphs and an article split over several ``<div>``s,
and a page whose article sits in ``<p>``s inside a one-column table. Each carries its chrome:
breadcrumbs, 打印本页/关闭窗口, 【字体：大 中 小】, 浏览次数, 来源/发布时间 lines, share bars,
附件 links, sidebars and related lists with figures of their own, ICP footers.

``cms_page(style, title, text, published)`` returns (bytes, file name); ``STYLES`` lists them.
"""

from __future__ import annotations

from html import escape

SITE = "青禾县人民政府"
SIDEBAR = ('<div class="sidebar"><h3>热点新闻</h3><ul><li><a href="/a/1.html">我县工业投资增长21.5%</a></li>'
           '<li><a href="/a/2.html">一季度外贸进出口总额达8.6亿元</a></li></ul></div>')
RELATED = ('<div class="xgwz"><h4>相关文章</h4><ul><li><a href="/b/1.html">全县粮食产量再创新高达到35.2万吨</a></li>'
           '<li><a href="/b/2.html">前三季度居民人均可支配收入增长6.6%</a></li></ul></div>')
FOOTER = ('<div class="footer"><p>主办:青禾县人民政府办公室 承办:青禾县大数据中心</p>'
          '<p>青ICP备12003456号-1 青公网安备 63010002000123号 网站标识码:6301000012</p>'
          '<p>建议使用1920×1080分辨率浏览</p></div>')


def _paras(text: str) -> list[str]:
    return [escape(line.strip()) for line in text.splitlines() if line.strip()]


def _trs(title: str, text: str, published: str, agency: str) -> str:
    body = "".join(f'<p style="text-indent:2em;">{p}</p>' for p in _paras(text))
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{escape(title)}_{SITE}网</title></head><body>
<div class="top"><div class="logo"><img alt="{SITE}"></div><ul class="menu"><li>首页</li><li>政务公开</li>
<li>政务服务</li><li>互动交流</li></ul></div>
<div class="dqwz">您当前的位置:<a>首页</a> &gt; <a>政务公开</a> &gt; <a>统计信息</a></div>
<div class="xl_main"><div class="xl_tit">{escape(title)}</div>
<div class="xl_info">发布时间:{published} 来源:{agency} 浏览次数:<span id="num">1024</span>
【字体:<a>大</a> <a>中</a> <a>小</a>】</div>
<div class="TRS_Editor"><div class="Custom_UnionStyle">{body}</div></div>
<div class="xl_btn"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div>
</div>{RELATED}{FOOTER}</body></html>"""


def _jiyue(title: str, text: str, published: str, agency: str) -> str:
    body = "".join(f"<p>\u3000\u3000{p}</p>" for p in _paras(text))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="SiteName" content="{SITE}门户网站"><meta name="ColumnName" content="统计数据">
<meta name="ArticleTitle" content="{escape(title)}"><meta name="PubDate" content="{published}">
<meta name="ContentSource" content="{agency}">
<title>{SITE}门户网站 - {escape(title)}</title></head><body>
<header class="gov-head"><a>无障碍</a> <a>长者模式</a> <a>English</a></header>
<div class="bread-crumb"><a>首页</a>&gt;<a>政务公开</a>&gt;<a>数据发布</a>&gt;<a>统计数据</a></div>
<div class="article"><h1 class="article-title">{escape(title)}</h1>
<div class="article-meta"><span>时间:{published}</span> <span>来源:{agency}</span>
<span class="font-size">字号:[ <a>大</a> <a>中</a> <a>小</a> ]</span></div>
<div class="article-content" id="zoom">{body}</div>
<div class="article-attach"><p>附件:</p><p><a href="/attach/tjgb.pdf">{escape(title)}.pdf</a></p></div>
<div class="share-bar">分享到:<a>微信</a><a>微博</a></div></div>
{SIDEBAR}{FOOTER}</body></html>"""


def _xxgk(title: str, text: str, published: str, agency: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in _paras(text))
    written = issued = ""
    if published:  # 成文 a few days before 发布
        y, m, d = published.split("-")
        written, issued = f"{y}年{m}月{max(1, int(d) - 3):02d}日", f"{y}年{m}月{d}日"
    return f"""<html><head><meta charset="utf-8"><title>{escape(title)}-{SITE}</title></head><body>
<div class="head"><span>政府信息公开</span></div>
<div class="location">当前位置:首页 &gt; 政府信息公开 &gt; 法定主动公开内容</div>
<table class="xxgk_table" width="100%"><tr><td>索引号:</td><td>11632500MB1234567A/2025-00031</td>
<td>主题分类:</td><td>统计</td></tr><tr><td>发文机关:</td><td>{agency}</td><td>成文日期:</td>
<td>{written}</td></tr><tr><td>标  题:</td><td colspan="3">{escape(title)}</td></tr>
<tr><td>发文字号:</td><td></td><td>发布日期:</td><td>{issued}</td></tr></table>
<div class="xxgk_content"><h2 class="title">{escape(title)}</h2><div class="content">{body}</div></div>
<div class="print"><a>【打印本页】</a><a>【关闭窗口】</a></div>{FOOTER}</body></html>"""


def _old_table(title: str, text: str, published: str, agency: str) -> str:
    paras = _paras(text)
    half = len(paras) // 2 or 1
    first = "<br>".join("&nbsp;&nbsp;&nbsp;&nbsp;" + p for p in paras[:half])
    second = "<br>\n".join("\u3000\u3000" + p for p in paras[half:])
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{escape(title)}</title></head><body>
<table width="980" align="center"><tr><td><table width="100%"><tr><td><a>网站首页</a></td><td><a>政务公开</a></td>
<td><a>办事服务</a></td><td><a>公众参与</a></td></tr></table></td></tr>
<tr><td class="daohang">您现在的位置:首页 &gt;&gt; 政务公开 &gt;&gt; 工作报告</td></tr>
<tr><td align="center"><font size="4"><b>{escape(title)}</b></font></td></tr>
<tr><td align="center">发布时间:{published} &nbsp;来源:{agency} &nbsp;点击数:<script>document.write(356)</script>
&nbsp;【<a>打印</a>】 【<a>关闭</a>】</td></tr>
<tr><td class="content"><div id="content_1"><font face="宋体">{first}</font></div>
<div id="content_2"><font face="宋体">{second}</font></div></td></tr>
<tr><td>上一篇:<a>关于召开全县经济工作会议的通知</a><br>下一篇:<a>我县举行安全生产月启动仪式</a></td></tr>
<tr><td align="center">版权所有:{SITE} 技术支持:某某网络公司 ICP备案:青ICP备05001234号</td></tr></table>
</body></html>"""


def _table_p(title: str, text: str, published: str, agency: str) -> str:
    body = "".join(f"<p>&nbsp;&nbsp;{p}</p>" for p in _paras(text))
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)} | {SITE}</title></head>
<body><div class="nav"><a>首页</a> | <a>新闻中心</a> | <a>政务公开</a></div>
<div class="crumbs">首页 » 政务公开 » 计划总结</div>
<table class="article" width="100%"><tr><td><h3>{escape(title)}</h3></td></tr>
<tr><td>来源:{agency}  发布日期:{published}  阅读次数:88 &nbsp;【字体:大 中 小】</td></tr>
<tr><td>{body}</td></tr>
<tr><td><a>打印本页</a>  <a>关闭窗口</a> <a>返回顶部</a></td></tr></table>
{RELATED}<div class="bottom">{SITE}版权所有 网站标识码6301000012</div></body></html>"""


STYLES = {"trs": _trs, "jiyue": _jiyue, "xxgk": _xxgk, "old-table": _old_table, "table-p": _table_p}


def cms_page(style: str, title: str, text: str, published: str | None = "2025-03-28",
             agency: str = "青禾县统计局") -> tuple[bytes, str]:
    """The page's bytes (GB2312 for the old layout, as such sites still serve) and file name;
    ``published`` is YYYY-MM-DD (None: the page prints no date)."""
    page = STYLES[style](title, text, published or "", agency)
    if style == "old-table":
        return page.encode("gb18030"), "content_8123.htm"
    return page.encode("utf-8"), "index.html"
