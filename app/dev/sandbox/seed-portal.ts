import type { CrmStore, WriteSource } from './crm-store';
import type { PortalState, OwnerState, StoredObject } from './portal-state';
import { createPrng } from './prng';

/**
 * A realistic Japanese enterprise portal, deterministic for a given seed number:
 * the same ids (relative to the sandbox's id sequence), names, companies and
 * associations every time, so tests and the demo can rely on it.
 *
 * Teams and owners: マーケティング部 (3), インサイドセールス部 (4), フィールドセールス部 (5, one
 * archived); the first owner of each team is its manager (role マネージャー), the
 * marketing manager is the portal's super admin. 16 companies of several sizes and
 * industries (one owned by the archived owner, an edge case for routing), 60 contacts
 * with Japanese names and titles, open deals for 6 contacts, 4 forms, 3 marketing
 * emails and one seminar (marketing event) with registrations.
 */

export const SEED_TEAMS = { marketing: 'マーケティング部', insideSales: 'インサイドセールス部', fieldSales: 'フィールドセールス部' } as const;

export interface SeedSummary {
  teamIds: { marketing: string; insideSales: string; fieldSales: string };
  ownerIds: { marketing: string[]; insideSales: string[]; fieldSales: string[]; archived: string };
  managerOwnerIds: { marketing: string; insideSales: string; fieldSales: string };
  companyIds: string[];
  contactIds: string[];
  dealIds: string[];
  formIds: { download: string; inquiry: string; seminar: string; survey: string };
  marketingEmailIds: string[];
  marketingEventId: string;
}

const SEED_SOURCE: WriteSource = { changeSource: 'IMPORT', historySourceType: 'IMPORT', internal: true };

const FAMILY: [string, string][] = [
  ['佐藤', 'sato'], ['鈴木', 'suzuki'], ['高橋', 'takahashi'], ['田中', 'tanaka'], ['伊藤', 'ito'], ['渡辺', 'watanabe'], ['山本', 'yamamoto'], ['中村', 'nakamura'],
  ['小林', 'kobayashi'], ['加藤', 'kato'], ['吉田', 'yoshida'], ['山田', 'yamada'], ['佐々木', 'sasaki'], ['山口', 'yamaguchi'], ['松本', 'matsumoto'], ['井上', 'inoue'],
  ['木村', 'kimura'], ['林', 'hayashi'], ['清水', 'shimizu'], ['斎藤', 'saito'], ['森', 'mori'], ['池田', 'ikeda'], ['橋本', 'hashimoto'], ['石川', 'ishikawa'],
];
const GIVEN: [string, string][] = [
  ['翔太', 'shota'], ['美咲', 'misaki'], ['健太', 'kenta'], ['陽菜', 'hina'], ['大輔', 'daisuke'], ['由美', 'yumi'], ['誠', 'makoto'], ['直子', 'naoko'],
  ['拓也', 'takuya'], ['恵', 'megumi'], ['隆', 'takashi'], ['智子', 'tomoko'], ['浩二', 'koji'], ['裕子', 'yuko'], ['亮', 'ryo'], ['真由美', 'mayumi'],
  ['達也', 'tatsuya'], ['彩', 'aya'], ['和也', 'kazuya'], ['麻衣', 'mai'],
];
/** Titles from staff to executive; 部長/本部長/執行役員/取締役 match the app's seniority list, 課長/主任/担当 do not. */
const TITLES = ['担当', '担当', '主任', '係長', '課長', '課長', '部長', '部長', '本部長', '事業部長', '執行役員', '取締役', 'マネージャー', 'リーダー', '情報システム部 担当', '経営企画部 課長'];

const COMPANIES: [name: string, domain: string, industry: string, employees: number, city: string][] = [
  ['株式会社山田製作所', 'yamada-ss.co.jp', 'MACHINERY', 320, '名古屋市'],
  ['東都システム株式会社', 'toto-sys.co.jp', 'COMPUTER_SOFTWARE', 1200, '東京都港区'],
  ['北陸精密工業株式会社', 'hokuriku-seimitsu.co.jp', 'ELECTRICAL_ELECTRONIC_MANUFACTURING', 850, '金沢市'],
  ['さくら銀行株式会社', 'sakura-bank.example.jp', 'BANKING', 15000, '東京都千代田区'],
  ['みなと物流株式会社', 'minato-logi.co.jp', 'LOGISTICS_AND_SUPPLY_CHAIN', 2400, '横浜市'],
  ['株式会社青葉商事', 'aoba-shoji.co.jp', 'RETAIL', 45, '仙台市'],
  ['大和建設株式会社', 'yamato-kensetsu.co.jp', 'CONSTRUCTION', 5600, '大阪市'],
  ['富士ファーマ株式会社', 'fuji-pharma.example.jp', 'PHARMACEUTICALS', 3100, '東京都中央区'],
  ['株式会社ひかり通信', 'hikari-tsushin.co.jp', 'TELECOMMUNICATIONS', 780, '福岡市'],
  ['瀬戸内フーズ株式会社', 'setouchi-foods.co.jp', 'FOOD_BEVERAGES', 210, '広島市'],
  ['株式会社ミライ保険', 'mirai-hoken.example.jp', 'INSURANCE', 9800, '東京都新宿区'],
  ['中部自動車部品株式会社', 'chubu-auto.co.jp', 'AUTOMOTIVE', 4300, '豊田市'],
  ['株式会社クラウドワークス研究所', 'cw-lab.co.jp', 'INFORMATION_TECHNOLOGY_AND_SERVICES', 18, '京都市'],
  ['京浜化学工業株式会社', 'keihin-chem.co.jp', 'CHEMICALS', 1500, '川崎市'],
  ['株式会社すずらん病院グループ', 'suzuran-hp.or.jp', 'HOSPITAL_HEALTH_CARE', 640, '札幌市'],
  ['グローバル経営コンサルティング株式会社', 'gmc-consulting.co.jp', 'MANAGEMENT_CONSULTING', 95, '東京都渋谷区'],
];

const hex = (n: number, rnd: () => number) => Array.from({ length: n }, () => Math.floor(rnd() * 16).toString(16)).join('');

export function seedPortal(portal: PortalState, store: CrmStore, options: { seed: number; now: number; appId: number; nextNumericId: () => number }): SeedSummary {
  const prng = createPrng(options.seed);
  const now = options.now;
  const day = 24 * 3600_000;

  const teamIds = { marketing: String(options.nextNumericId()), insideSales: String(options.nextNumericId()), fieldSales: String(options.nextNumericId()) };
  portal.teams = [
    { id: teamIds.marketing, name: SEED_TEAMS.marketing },
    { id: teamIds.insideSales, name: SEED_TEAMS.insideSales },
    { id: teamIds.fieldSales, name: SEED_TEAMS.fieldSales },
  ];
  const roles = { admin: String(options.nextNumericId()), manager: String(options.nextNumericId()), member: String(options.nextNumericId()) };
  portal.roles = [
    { id: roles.admin, name: 'スーパー管理者 / Super admin' },
    { id: roles.manager, name: 'マネージャー / Manager' },
    { id: roles.member, name: 'メンバー / Member' },
  ];

  const owner = (family: [string, string], given: [string, string], teamId: string, opts: { manager?: boolean; superAdmin?: boolean; archived?: boolean } = {}): OwnerState => {
    const id = String(options.nextNumericId());
    return {
      id,
      userId: Number(`7${id}`),
      email: `${given[1]}.${family[1]}@sandbox-corp.example.jp`,
      firstName: given[0],
      lastName: family[0],
      archived: opts.archived ?? false,
      teamIds: [teamId],
      superAdmin: opts.superAdmin ?? false,
      roleIds: [opts.superAdmin ? roles.admin : opts.manager ? roles.manager : roles.member],
      createdAt: now - 400 * day,
      updatedAt: now - 30 * day,
    };
  };
  const f = (i: number) => FAMILY[i] as [string, string];
  const g = (i: number) => GIVEN[i] as [string, string];
  const marketing = [owner(f(2), g(9), teamIds.marketing, { manager: true, superAdmin: true }), owner(f(0), g(1), teamIds.marketing), owner(f(4), g(8), teamIds.marketing)];
  const inside = [owner(f(6), g(7), teamIds.insideSales, { manager: true }), owner(f(7), g(0), teamIds.insideSales), owner(f(8), g(3), teamIds.insideSales), owner(f(9), g(2), teamIds.insideSales)];
  const field = [owner(f(3), g(6), teamIds.fieldSales, { manager: true }), owner(f(1), g(4), teamIds.fieldSales), owner(f(5), g(13), teamIds.fieldSales), owner(f(10), g(14), teamIds.fieldSales)];
  const archived = owner(f(14), g(10), teamIds.fieldSales, { archived: true });
  portal.owners = [...marketing, ...inside, ...field, archived];

  const companies: StoredObject[] = COMPANIES.map(([name, domain, industry, employees, city], i) => {
    const ownerId = i === 6 ? archived.id : i % 2 === 0 ? prng.pick(field).id : undefined;
    return store.createObject(
      portal,
      'companies',
      { name, domain, industry, numberofemployees: String(employees), city, country: 'Japan', ...(ownerId ? { hubspot_owner_id: ownerId } : {}) },
      [],
      SEED_SOURCE,
    );
  });

  const usedEmails = new Set<string>();
  const contacts: StoredObject[] = [];
  for (let i = 0; i < 60; i++) {
    const company = companies[i % companies.length] as StoredObject;
    const fam = prng.pick(FAMILY);
    const giv = prng.pick(GIVEN);
    let email = `${giv[1]}.${fam[1]}@${company.properties.domain}`;
    for (let n = 2; usedEmails.has(email); n++) email = `${giv[1]}.${fam[1]}${n}@${company.properties.domain}`;
    usedEmails.add(email);
    const stage = prng.pick(['subscriber', 'lead', 'lead', 'lead', 'marketingqualifiedlead']);
    const isOwner = prng.next() < 0.3 ? prng.pick(inside).id : undefined;
    contacts.push(
      store.createObject(
        portal,
        'contacts',
        {
          email,
          firstname: giv[0],
          lastname: fam[0],
          jobtitle: prng.pick(TITLES),
          company: company.properties.name,
          phone: `0${prng.int(3, 9)}-${prng.int(1000, 9999)}-${prng.int(1000, 9999)}`,
          lifecyclestage: stage,
          ...(isOwner ? { hubspot_owner_id: isOwner } : {}),
        },
        [{ to: { id: company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }, { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }] }],
        SEED_SOURCE,
      ),
    );
  }

  const deals: StoredObject[] = [];
  for (const i of [1, 3, 4, 7, 11, 13]) {
    const contact = contacts[i] as StoredObject;
    const company = companies[i % companies.length] as StoredObject;
    deals.push(
      store.createObject(
        portal,
        'deals',
        {
          dealname: `${company.properties.name} 導入案件`,
          amount: String(prng.int(30, 900) * 10000),
          pipeline: 'default',
          dealstage: prng.pick(['appointmentscheduled', 'qualifiedtobuy', 'presentationscheduled']),
          closedate: String(now + prng.int(30, 120) * day),
          hubspot_owner_id: prng.pick(field).id,
        },
        [
          { to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
          { to: { id: company.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 5 }, { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 341 }] },
        ],
        SEED_SOURCE,
      ),
    );
  }

  const guid = () => `${hex(8, prng.next)}-${hex(4, prng.next)}-4${hex(3, prng.next)}-a${hex(3, prng.next)}-${hex(12, prng.next)}`;
  const forms = {
    download: { id: guid(), name: '資料ダウンロード｜営業DX完全ガイド', createdAt: now - 200 * day },
    inquiry: { id: guid(), name: 'お問い合わせ', createdAt: now - 300 * day },
    seminar: { id: guid(), name: 'セミナー申込｜インサイドセールス実践セミナー', createdAt: now - 60 * day },
    survey: { id: guid(), name: '導入検討アンケート', createdAt: now - 90 * day },
  };
  portal.forms = Object.values(forms);

  portal.marketingEmails = [
    { id: String(options.nextNumericId()), name: '月刊ニュースレター 6月号', subject: '【6月号】営業とマーケの連携を強くする3つのヒント' },
    { id: String(options.nextNumericId()), name: '新製品のご案内', subject: '新製品リリースのお知らせ' },
    { id: String(options.nextNumericId()), name: 'セミナーのご案内', subject: '【無料セミナー】インサイドセールス実践セミナーのご案内' },
  ];

  const eventId = String(options.nextNumericId());
  portal.marketingEvents = [
    {
      objectId: eventId,
      externalAccountId: String(options.appId),
      externalEventId: 'is-seminar-2026',
      eventName: 'インサイドセールス実践セミナー2026',
      eventType: 'セミナー',
      eventOrganizer: 'マーケティング部',
      eventDescription: 'トスアップの型を学ぶオンラインセミナー / Online seminar on lead hand-off',
      eventUrl: 'https://sandbox-corp.example.jp/seminar/is-2026',
      startDateTime: now + 14 * day,
      endDateTime: now + 14 * day + 2 * 3600_000,
      eventCancelled: false,
      eventCompleted: false,
      createdAt: now - 30 * day,
      updatedAt: now - 30 * day,
      participations: [2, 5, 8, 9, 12].map((i, k) => ({
        id: String(options.nextNumericId()),
        contactId: (contacts[i] as StoredObject).id,
        state: 'REGISTERED' as const,
        occurredAt: now - (10 - k) * day,
        createdAt: now - (10 - k) * day,
      })),
    },
  ];

  return {
    teamIds,
    ownerIds: { marketing: marketing.map((o) => o.id), insideSales: inside.map((o) => o.id), fieldSales: field.map((o) => o.id), archived: archived.id },
    managerOwnerIds: { marketing: (marketing[0] as OwnerState).id, insideSales: (inside[0] as OwnerState).id, fieldSales: (field[0] as OwnerState).id },
    companyIds: companies.map((c) => c.id),
    contactIds: contacts.map((c) => c.id),
    dealIds: deals.map((d) => d.id),
    formIds: { download: forms.download.id, inquiry: forms.inquiry.id, seminar: forms.seminar.id, survey: forms.survey.id },
    marketingEmailIds: portal.marketingEmails.map((e) => e.id),
    marketingEventId: eventId,
  };
}
