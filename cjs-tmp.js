const {z}=require('zod');
const S=z.strictObject({a:z.string(), b:z.enum(['x','y']).optional(), c:z.array(z.union([z.enum(['p','q']), z.strictObject({status:z.enum(['p','q']), n:z.string().optional()})])).optional(), d: z.number().int().positive().optional(), e: z.union([z.strictObject({key:z.string(),file:z.string()}), z.strictObject({bibliography:z.string()})]).optional(), f: z.string().regex(/^[a-z]+$/).optional(), g: z.literal(1).optional()});
const r=S.safeParse({b:'z', zz:1, c:['pp', {status:'r', m:1}, 5], d: 'many', e:{key:'k'}, f:'A B', g: 2});
console.log(JSON.stringify(r.error.issues,null,1));
console.log(Object.keys(S.shape), S.shape.c.def?.type, S.shape.c.unwrap().element.options.length);
